// A person's contracts, newest first, each with its packages, consent and the events that made it.
import { PaperClipOutlined } from '@ant-design/icons';
import { Card, Descriptions, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, packageName } from '../../format.ts';
import { useServicePackages } from '../../hooks/reference.ts';
import type { Contract } from '../../types.ts';
import { ContractStatusTag, DaysToEndTag } from '../labels.tsx';

const ACTION_COLOR: Record<string, string> = { sign: 'green', renew: 'blue', terminate: 'red', lapse: 'gray' };

export function PackageTags({ codes }: { codes: string[] }) {
  const packages = useServicePackages();
  const byCode = new Map((packages.data ?? []).map((p) => [p.code, p]));
  return (
    <Space size={[4, 4]} wrap>
      {codes.map((c) => {
        const p = byCode.get(c);
        return (
          <Tag key={c} color={p?.kind === 'basic' ? 'blue' : 'cyan'}>
            {p ? packageName(p) : c}
          </Tag>
        );
      })}
    </Space>
  );
}

export function ContractCard({ contract, staff }: { contract: Contract; staff?: boolean }) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      className="contract-card"
      data-testid="contract-card"
      data-contract-id={contract.id}
      title={
        <Space size={8}>
          <span className="mono">
            {contract.startDate} ~ {contract.endDate}
          </span>
          <ContractStatusTag status={contract.status} />
          {contract.inForce ? <Tag color="green">{t('contract.inForce')}</Tag> : null}
          {contract.status === 'active' ? <DaysToEndTag days={contract.daysToEnd} /> : null}
        </Space>
      }
    >
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'team', label: t('contract.team'), children: contract.team.name },
          { key: 'doctor', label: t('contract.doctor'), children: contract.doctor.name },
          { key: 'packages', label: t('contract.packages'), span: 2, children: <PackageTags codes={contract.packages} /> },
          {
            key: 'consent',
            label: t('contract.consent'),
            span: 2,
            children: (
              <span>
                {t(`contract.signers.${contract.consent.signer}`)} · {contract.consent.signerName} ·{' '}
                {formatDateTime(contract.consent.signedAt)}
                {contract.consent.formName ? (
                  staff ? (
                    <Typography.Link
                      href={`/api/contracts/${contract.id}/consent-form`}
                      className="consent-link"
                      target="_blank"
                    >
                      <PaperClipOutlined /> {contract.consent.formName}
                    </Typography.Link>
                  ) : (
                    // the patient's own contract: through /api/people/me/…
                    <Typography.Link
                      href={`/api/people/me/contracts/${contract.id}/consent-form`}
                      className="consent-link"
                      target="_blank"
                    >
                      <PaperClipOutlined /> {contract.consent.formName}
                    </Typography.Link>
                  )
                ) : null}
              </span>
            ),
          },
          ...(contract.terminatedOn
            ? [
                {
                  key: 'terminated',
                  label: t('contract.terminatedOn'),
                  span: 2,
                  children: `${contract.terminatedOn} · ${contract.terminationReason ?? ''}`,
                },
              ]
            : []),
        ]}
      />
      {contract.history.length ? (
        <Timeline
          className="compact-timeline"
          items={contract.history.map((h) => ({
            color: ACTION_COLOR[h.action] ?? 'gray',
            content: (
              <div data-testid="contract-event" data-action={h.action}>
                <Typography.Text strong>{t(`contract.actions.${h.action}`)}</Typography.Text>
                <Typography.Text type="secondary" className="timeline-meta">
                  {formatDateTime(h.at)}
                  {h.by ? ` · ${h.by}` : ''}
                </Typography.Text>
                {h.reason ? <div className="timeline-reason">{h.reason === 'renewal' ? t('contract.renewal') : h.reason}</div> : null}
              </div>
            ),
          }))}
        />
      ) : null}
    </Card>
  );
}

export default function ContractHistory({
  contracts,
  loading,
  staff,
}: {
  contracts: Contract[] | undefined;
  loading?: boolean;
  staff?: boolean;
}) {
  const { t } = useTranslation();
  if (loading) return <Skeleton active />;
  if (!contracts?.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contract.noContracts')} />;
  const sorted = [...contracts].sort((a, b) => b.startDate.localeCompare(a.startDate));
  return (
    <div className="stack-8">
      {sorted.map((c) => (
        <ContractCard key={c.id} contract={c} staff={staff} />
      ))}
    </div>
  );
}
