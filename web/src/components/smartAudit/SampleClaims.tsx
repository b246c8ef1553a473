// The sampled claims of one sample, to review one by one: 正确 marks a claim right at once; 差错 asks
// for the amount paid in error (and a note). A closed sample only shows the results.
import { Button, Space, Table, type TableColumnsType, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { yuan } from '../../format.ts';
import { type SampleClaim, type SampleDetail, useMarkSampleClaim } from './api.ts';
import { SampleResultTag } from './labels.tsx';

export interface ErrorTarget {
  claim: SampleClaim;
}

export default function SampleClaims({ sample, onError, onFailed }: { sample: SampleDetail; onError: (target: ErrorTarget) => void; onFailed: (lines: string[]) => void }) {
  const { t } = useTranslation();
  const mark = useMarkSampleClaim(sample.id);
  const open = sample.status === 'open';

  const columns: TableColumnsType<SampleClaim> = [
    {
      title: t('smartAudit.fields.person'),
      key: 'person',
      render: (_, c) =>
        c.person ? (
          <div>
            {c.person.name}
            <div className="cell-sub mono">{c.person.idNumber}</div>
          </div>
        ) : (
          t('common.none')
        ),
    },
    { title: t('smartAudit.fields.institution'), key: 'institution', render: (_, c) => c.institution.name },
    {
      title: t('smartAudit.samples.claim'),
      key: 'claim',
      render: (_, c) => (
        <div>
          <span className="mono sa-nowrap">{c.serviceDate}</span>
          {c.settlementNo ? <div className="cell-sub mono">{c.settlementNo}</div> : null}
        </div>
      ),
    },
    { title: t('smartAudit.samples.claimAmount'), key: 'amount', align: 'right', render: (_, c) => `¥${yuan(c.amountFen)}` },
    { title: t('smartAudit.samples.fundPay'), key: 'fund', align: 'right', render: (_, c) => `¥${yuan(c.fundPayFen)}` },
    {
      title: t('smartAudit.samples.result'),
      key: 'result',
      render: (_, c) => (
        <div>
          <SampleResultTag result={c.result} />
          {c.result === 'error' && c.errorAmountFen !== null ? <span data-testid="sample-error-amount">¥{yuan(c.errorAmountFen)}</span> : null}
          {c.reviewedBy ? <div className="cell-sub">{c.reviewedBy}</div> : null}
          {c.note ? <div className="cell-sub sa-ellipsis">{c.note}</div> : null}
        </div>
      ),
    },
    ...(open
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, c: SampleClaim) => (
              <Space size={4}>
                <Button
                  size="small"
                  type={c.result === 'correct' ? 'primary' : 'default'}
                  loading={mark.isPending && mark.variables?.claimId === c.claimId && mark.variables.result === 'correct'}
                  onClick={() => {
                    onFailed([]);
                    mark.mutate({ claimId: c.claimId, result: 'correct' }, { onError: (error) => onFailed(actionErrorLines(error)) });
                  }}
                  data-testid="sample-mark-correct"
                >
                  {t('smartAudit.samples.markCorrect')}
                </Button>
                <Button size="small" danger type={c.result === 'error' ? 'primary' : 'default'} onClick={() => onError({ claim: c })} data-testid="sample-mark-error">
                  {t('smartAudit.samples.markError')}
                </Button>
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div>
      <Typography.Title level={5}>{t('smartAudit.samples.claimsTitle', { count: sample.claims.length })}</Typography.Title>
      <Table<SampleClaim>
        rowKey="claimId"
        size="small"
        columns={columns}
        dataSource={sample.claims}
        pagination={sample.claims.length > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ 'data-testid': 'sample-claim', 'data-claim-id': c.claimId, 'data-result': c.result }) as HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}
