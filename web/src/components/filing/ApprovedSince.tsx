// The team's filings approved since the doctor last looked. "Last looked" is kept in this browser's
// localStorage, per user (manbing.filings.approvedSeen.<userId>); without it, the last 7 days count.
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import type { FilingSummary } from '../../types.ts';

const keyOf = (userId: string) => `manbing.filings.approvedSeen.${userId}`;

function seenAt(userId: string | undefined): string | null {
  if (!userId) return null;
  const stored = window.localStorage.getItem(keyOf(userId));
  return stored ?? new Date(Date.now() - 7 * 86_400_000).toISOString();
}

export default function ApprovedSince({ onOpen }: { onOpen: (filingId: string) => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const [since, setSince] = useState<string | null>(() => seenAt(me?.id));
  const effective = since ?? seenAt(me?.id);
  const approved = useQuery({
    queryKey: ['filings', 'approvedSince', effective],
    queryFn: ({ signal }) =>
      api<{ total: number; items: FilingSummary[] }>('/api/filings', { query: { status: 'approved', decidedSince: effective!, limit: 10 }, signal }),
    enabled: !!effective,
  });
  const data = approved.data;
  if (!me || !data?.total) return null;
  const markSeen = () => {
    // the server's time of the newest decision shown, so that the browser's clock does not matter
    const newest = data.items.map((i) => i.decidedAt ?? '').sort().at(-1);
    const next = new Date(new Date(newest || Date.now()).getTime() + 1).toISOString();
    window.localStorage.setItem(keyOf(me.id), next);
    setSince(next);
  };
  return (
    <Alert
      type="success"
      showIcon
      data-testid="approved-since"
      title={t('evidence.approvedSince', { count: data.total })}
      description={
        <div>
          <Space size={[12, 4]} wrap>
            {data.items.map((f) => (
              <Typography.Link key={f.id} onClick={() => onOpen(f.id)} data-testid="approved-since-item">
                {f.person.name}
              </Typography.Link>
            ))}
          </Space>
          <div>
            <Typography.Text type="secondary">{t('evidence.approvedSinceHint')}</Typography.Text>
          </div>
        </div>
      }
      action={
        <Button size="small" onClick={markSeen} data-testid="approved-since-seen">
          {t('evidence.markSeen')}
        </Button>
      }
    />
  );
}
