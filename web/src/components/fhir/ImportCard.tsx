// 导入: a bundle file read in the browser and sent as it is to POST /fhir. The answer is the report
// (ImportReportView) or, for a refused bundle, the OperationOutcome's issues (OutcomeIssues); any other
// failure (too large, not allowed, no connection) is the app's problem+json error in the user's language.
import { InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { errorLines } from '../../notify.ts';
import { type ImportAnswer, postBundle } from './api.ts';
import ImportReportView from './ImportReportView.tsx';
import OutcomeIssues from './OutcomeIssues.tsx';
import './fhir.css';

class UnreadableFile extends Error {}

export default function ImportCard({ institutionScoped }: { institutionScoped: boolean }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: async (f: File): Promise<ImportAnswer> => {
      let text: string;
      try {
        text = await f.text();
      } catch {
        throw new UnreadableFile();
      }
      return postBundle(text);
    },
    meta: { silent: true }, // the card shows the error itself
  });

  const pick = (f: File) => {
    setFile(f.name);
    send.mutate(f);
    return false; // read here, not uploaded by the component
  };
  const reset = () => {
    setFile(null);
    send.reset();
  };

  const failure = send.error;
  const failureLines = failure instanceof UnreadableFile ? [t('fhir.import.unreadableFile')] : failure instanceof ApiError && failure.status === 413 ? [t('fhir.import.tooLarge')] : failure ? errorLines(failure) : [];
  const answer = send.data;

  return (
    <Card
      title={t('fhir.import.title')}
      data-testid="fhir-import-card"
      extra={answer || failure ? <Button icon={<ReloadOutlined />} onClick={reset} data-testid="fhir-import-another">{t('fhir.import.another')}</Button> : null}
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('fhir.import.help')}
          <br />
          <span data-testid="fhir-matching">{t('fhir.import.matching')}</span>
          {institutionScoped && (
            <>
              <br />
              {t('fhir.import.institutionScope')}
            </>
          )}
        </Typography.Paragraph>
        {!answer && (
          <Upload.Dragger accept=".json,application/json,application/fhir+json" maxCount={1} showUploadList={false} beforeUpload={pick} disabled={send.isPending} data-testid="fhir-import-file">
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{send.isPending && file ? t('fhir.import.sending', { file }) : t('fhir.import.pick')}</p>
            <p className="ant-upload-hint">{t('fhir.import.formats')}</p>
          </Upload.Dragger>
        )}
        {send.isPending && <Spin />}
        {failureLines.length > 0 && (
          <Alert type="error" showIcon data-testid="fhir-import-error" title={t('fhir.import.failed')} description={failureLines.map((l) => <div key={l}>{l}</div>)} />
        )}
        {answer?.kind === 'refused' && <OutcomeIssues outcome={answer.outcome} file={file ?? ''} />}
        {answer?.kind === 'report' && (
          <>
            <Typography.Title level={5} style={{ margin: 0 }}>{t('fhir.import.resultTitle')}</Typography.Title>
            <ImportReportView report={answer.report} file={file ?? ''} />
          </>
        )}
      </Space>
    </Card>
  );
}
