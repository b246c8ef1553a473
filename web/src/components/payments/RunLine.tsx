// Which run the figures are: its id (short), when and by whose request it was computed, that the same inputs
// give the same fen — with a link that reads the stored run back, recomputes it from its own parameters and
// inputs (GET /api/payments/runs/:id) and says what it found — the state day and the parameters' id.
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Button, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentErrorLines } from './errors.ts';
import { formatDateTime } from '../../format.ts';
import type { PaymentReport } from '../../pages/payments/types.ts';
import { useRunVerification } from './api.ts';

export default function RunLine({ report }: { report: PaymentReport }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<string | null>(null);
  const run = report.run;
  const check = useRunVerification(asked === run.id ? run.id : null, report.county);
  const v = check.data?.verification;

  let result = null;
  if (asked === run.id) {
    if (check.isFetching) result = <Typography.Text type="secondary">{t('payments.run.verifying')}</Typography.Text>;
    else if (check.isError)
      result = (
        <Tag color="error" data-testid="run-verify-result" data-same="error">
          {t('payments.labelValue', { label: t('payments.run.failed'), value: paymentErrorLines(check.error).join('；') })}
        </Tag>
      );
    else if (v)
      result = v.same && v.hashSame ? (
        <Tag color="success" icon={<CheckCircleFilled />} data-testid="run-verify-result" data-same="true">
          {t('payments.run.verified')} · {t('payments.run.hashOk')}
        </Tag>
      ) : (
        <Tag color="error" icon={<CloseCircleFilled />} data-testid="run-verify-result" data-same="false">
          {v.same ? '' : t('payments.run.differs', { models: v.differences.map((m) => t(`payments.models.${m}`, { defaultValue: m })).join(t('payments.listSeparator')) })}
          {!v.same && !v.hashSame ? '；' : ''}
          {v.hashSame ? '' : t('payments.run.hashDiffers')}
        </Tag>
      );
  }

  return (
    <div className="pay-run" data-testid="pay-run" data-run={run.id}>
      <span>
        {t('payments.run.label')}{' '}
        <Tooltip title={`${run.id} · ${t('payments.run.hash')} ${run.inputs_hash}`}>
          <span className="mono pay-run__id" data-testid="pay-run-id">
            {run.id.slice(0, 8)}
          </span>
        </Tooltip>
      </span>
      <span className="pay-run__sep">·</span>
      <span>
        {t('payments.run.computedAt', { at: formatDateTime(run.created_at), by: run.created_by })} · {run.reused ? t('payments.run.reused') : t('payments.run.fresh')}
      </span>
      <span className="pay-run__sep">·</span>
      <span>
        {t('payments.run.same')}
        <Tooltip title={t('payments.run.verifyHint')}>
          <Button type="link" size="small" className="pay-run__verify" onClick={() => (asked === run.id ? void check.refetch() : setAsked(run.id))} data-testid="run-verify">
            {t('payments.run.verify')}
          </Button>
        </Tooltip>
      </span>
      {result}
      <span className="pay-run__sep">·</span>
      <span data-testid="pay-as-of">{t('payments.asOf', { date: report.period.as_of })}</span>
      <span className="pay-run__sep">·</span>
      <span>{t('payments.completeMonths', { n: report.period.complete_months })}</span>
      <span className="pay-run__sep">·</span>
      <span data-testid="pay-parameters">
        {t('payments.run.parameters', { id: report.parameters.id, version: run.version })}
      </span>
    </div>
  );
}
