// A refused bundle: the OperationOutcome's issues as a list, each naming its entry (Bundle.entry[n], counted
// from 1 for the reader) and the server's diagnostics as they are — nothing of the bundle was written.
import { Alert, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OperationOutcome } from './api.ts';

const ENTRY = /^Bundle\.entry\[(\d+)\]$/;

export default function OutcomeIssues({ outcome, file }: { outcome: OperationOutcome; file: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      data-testid="fhir-refused"
      title={t('fhir.import.refused.title')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 8 }}>{t('fhir.import.refused.desc', { file })}</Typography.Paragraph>
          <ol className="fhir-issues">
            {outcome.issue.map((issue, i) => {
              const expression = issue.expression?.[0];
              const entry = expression ? ENTRY.exec(expression) : null;
              const where = entry ? t('fhir.import.refused.entry', { n: Number(entry[1]) + 1, expression }) : (expression ?? t('fhir.import.refused.whole'));
              return (
                <li key={i} data-testid="fhir-issue">
                  <Typography.Text strong>{where}</Typography.Text>
                  {' '}
                  <Typography.Text code className="fhir-diagnostics">{issue.diagnostics}</Typography.Text>
                </li>
              );
            })}
          </ol>
        </>
      }
    />
  );
}
