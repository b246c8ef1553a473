// 查看历史: a person's contracts with their events, their registration filings, and the
// eligibility answer for a chosen day.
import { useQuery } from '@tanstack/react-query';
import { Collapse, Drawer, Empty, Skeleton, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatDateTime } from '../format.ts';
import { useContracts } from '../hooks/reference.ts';
import type { FilingSummary, FilingView, Page } from '../types.ts';
import ContractHistory from './contract/ContractHistory.tsx';
import EligibilityPanel from './EligibilityPanel.tsx';
import FilingDetail from './filing/FilingDetail.tsx';
import { FilingDiseaseTag, FilingKindTag, FilingStatusTag } from './labels.tsx';

export function FilingDetailLoader({ id }: { id: string }) {
  const filing = useQuery({
    queryKey: ['filings', 'detail', id],
    queryFn: ({ signal }) => api<FilingView>(`/api/filings/${id}`, { signal }),
  });
  if (!filing.data) return <Skeleton active />;
  return <FilingDetail filing={filing.data} />;
}

function PersonFilings({ person }: { person: { id: string; name: string } }) {
  const { t } = useTranslation();
  // the list filters by name; this person's own filings are picked by id
  const filings = useQuery({
    queryKey: ['filings', 'person', person.id],
    queryFn: ({ signal }) => api<Page<FilingSummary>>('/api/filings', { query: { q: person.name, limit: 100 }, signal }),
  });
  if (filings.isPending) return <Skeleton active />;
  const mine = (filings.data?.items ?? []).filter((f) => f.person.id === person.id);
  if (!mine.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('filing.noFilings')} />;
  return (
    <Collapse
      size="small"
      destroyOnHidden
      items={mine.map((f) => ({
        key: f.id,
        label: (
          <Space size={8} wrap>
            <FilingKindTag kind={f.kind} changeReason={f.changeReason} revocationReason={f.revocationReason} />
            {f.diseases.map((d) => (
              <FilingDiseaseTag key={d.code} code={d.code} name={d.name} action={d.action} />
            ))}
            <FilingStatusTag status={f.status} />
            <Typography.Text type="secondary">{formatDateTime(f.submittedAt)}</Typography.Text>
          </Space>
        ),
        children: <FilingDetailLoader id={f.id} />,
      }))}
    />
  );
}

export default function PersonHistoryDrawer({
  person,
  onClose,
}: {
  person: { id: string; name: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const contracts = useContracts(person?.id ?? null);
  return (
    <Drawer
      open={person !== null}
      size={900}
      title={person ? t('history.title', { name: person.name }) : ''}
      onClose={onClose}
      destroyOnHidden
      data-testid="history-drawer"
    >
      {person ? (
        <Tabs
          items={[
            {
              key: 'contracts',
              label: t('history.contracts'),
              children: <ContractHistory contracts={contracts.data} loading={contracts.isPending} staff />,
            },
            { key: 'filings', label: t('history.filings'), children: <PersonFilings person={person} /> },
            { key: 'eligibility', label: t('history.eligibility'), children: <EligibilityPanel personId={person.id} /> },
          ]}
        />
      ) : null}
    </Drawer>
  );
}
