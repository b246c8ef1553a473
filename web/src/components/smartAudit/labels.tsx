// Tags for the smart audit's coded values, so every screen shows a finding's or a sample's state alike.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FindingStatus, SampleResult } from './api.ts';

const FINDING_COLOR: Record<FindingStatus, string> = { open: 'processing', confirmed: 'error', dismissed: 'default' };
const RESULT_COLOR: Record<SampleResult, string> = { pending: 'default', correct: 'success', error: 'error' };

export function FindingStatusTag({ status }: { status: FindingStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={FINDING_COLOR[status]} data-testid="finding-status" data-status={status}>
      {t(`smartAudit.status.${status}`)}
    </Tag>
  );
}

export function SampleResultTag({ result }: { result: SampleResult }) {
  const { t } = useTranslation();
  return (
    <Tag color={RESULT_COLOR[result]} data-testid="sample-result" data-result={result}>
      {t(`smartAudit.samples.results.${result}`)}
    </Tag>
  );
}
