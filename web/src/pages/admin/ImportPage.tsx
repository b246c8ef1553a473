// 数据导入 (issue 13): the insurance agency's roster of insured persons (参保人员名单, system
// administrator) or health-record diagnoses (诊断, also an institution's administrator, for its own
// institution). Picking a file checks it on the server first (dryRun): the summary of what would
// change and every refused line with its number and reason; 确认导入 then writes the good lines in one
// transaction (or nothing, with "refuse the whole file"). The same file can be loaded again: lines
// already in show as unchanged.
import { CheckOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Row, Segmented, Space, Statistic, Table, type TableColumnsType, Typography, Upload } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { ruleText } from '../../i18n/problems.ts';
import { errorLines } from '../../notify.ts';
import type { Problem } from '../../types.ts';

type Kind = 'roster' | 'diagnoses';

const COLUMNS: Record<Kind, string> = {
  roster: 'name, sex, birth_date, id_number, phone, region_code, insurance_type, insured_since',
  diagnoses: 'id_number, disease_code, diagnosed_on, source, institution_code',
};
/** What the screen sends at most (the server's limit); larger files go through `manbing import`. */
const MAX_BYTES = 32 * 1024 * 1024;

interface ImportProblem {
  line: number;
  field: string;
  rule: string;
  message: string;
  messageZh: string;
}
interface ImportReport {
  importId: string;
  kind: Kind;
  format: 'csv' | 'xlsx';
  dryRun: boolean;
  written: boolean;
  lines: number;
  summary: { added: number; updated: number; unchanged: number; refused: number };
  problems: ImportProblem[];
  problemsTotal: number;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A wrong header's facts, as the server sends them with rule `header` (column names in lower case, '' for an empty one). */
interface HeaderColumns {
  expected: string[];
  missing: string[];
  unknown: string[];
  repeated: string[];
}
/** The field problem of a file the server could not read: at body.file, and for rule `header` its columns. */
type FileProblem = NonNullable<Problem['errors']>[number] & { columns?: HeaderColumns };

/** The columns the header lacks, does not expect and repeats, each as a line in the page's language. */
function headerLines(columns: HeaderColumns | undefined, t: TFunction): string[] {
  if (!columns) return [];
  const names = (list: string[]) => list.map((c) => c || t('imports.headerFacts.empty')).join(', ');
  return (['missing', 'unknown', 'repeated'] as const).filter((k) => columns[k].length > 0).map((k) => t(`imports.headerFacts.${k}`, { columns: names(columns[k]) }));
}

/**
 * A file the server could not read at all: its rule in the page's language, and for a wrong header the
 * columns it named missing, not expected or repeated (worded here, never the server's English).
 */
function fileErrorLines(error: unknown, t: TFunction, exists: (key: string) => boolean): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return errorLines(error);
  const problems: FileProblem[] = error.problem.errors;
  return problems.flatMap((e) => {
    const key = `imports.fileRules.${e.rule}`;
    if (!exists(key)) return [ruleText(e.rule, e.message)];
    return e.rule === 'header' ? [t(key), ...headerLines(e.columns, t)] : [t(key)];
  });
}

export default function ImportPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const { data: me } = useMe();
  const kinds: Kind[] = me?.role === 'system_admin' ? ['roster', 'diagnoses'] : ['diagnoses'];
  const [kind, setKind] = useState<Kind>(kinds[0]);
  const [file, setFile] = useState<File | null>(null);
  const [strict, setStrict] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);

  const send = useMutation({
    mutationFn: async (v: { file: File; dryRun: boolean }) =>
      api<ImportReport>(`/api/admin/imports/${kind}`, { method: 'POST', body: { name: v.file.name, contentBase64: await base64Of(v.file), dryRun: v.dryRun, strict } }),
    meta: { silent: true },
    onSuccess: (r) => {
      setReport(r);
      if (!r.dryRun && r.written) void message.success(t('imports.done', { added: r.summary.added, updated: r.summary.updated }));
    },
  });

  const reset = (next?: Kind) => {
    if (next) setKind(next);
    setFile(null);
    setReport(null);
    send.reset();
  };
  const pick = (f: File) => {
    setReport(null);
    setFile(f);
    if (f.size > MAX_BYTES) return false;
    send.mutate({ file: f, dryRun: true });
    return false; // kept here, not uploaded by the component
  };

  const zh = currentLanguage() === 'zh-CN';
  const columns: TableColumnsType<ImportProblem> = [
    { title: t('imports.col.line'), dataIndex: 'line', width: 90 },
    { title: t('imports.col.field'), dataIndex: 'field', width: 160, render: (f: string) => f || t('imports.wholeLine') },
    { title: t('imports.col.reason'), key: 'reason', render: (_, p) => (zh ? p.messageZh : p.message) },
    { title: t('imports.col.rule'), dataIndex: 'rule', width: 200, render: (r: string) => <Typography.Text code>{r}</Typography.Text> },
  ];
  const preview = report?.dryRun ? report : null;
  const sending = send.isPending;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('imports.title')}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {kinds.length > 1 && <Segmented<Kind> value={kind} onChange={(k) => reset(k)} options={kinds.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))} />}
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t(`imports.help.${kind}`)}
            <br />
            {t('imports.header')}: <Typography.Text code>{COLUMNS[kind]}</Typography.Text>
          </Typography.Paragraph>
          <Upload.Dragger accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" maxCount={1} showUploadList={false} beforeUpload={pick} disabled={sending}>
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{file ? file.name : t('imports.pick')}</p>
            <p className="ant-upload-hint">{t('imports.formats')}</p>
          </Upload.Dragger>
          {file && file.size > MAX_BYTES && <Alert type="error" showIcon title={t('imports.tooLarge')} />}
          {send.isError && <Alert type="error" showIcon title={t('imports.unreadable')} description={fileErrorLines(send.error, t, (k) => i18n.exists(k)).map((l) => <div key={l}>{l}</div>)} />}
        </Space>
      </Card>

      {report && (
        <Card
          title={report.dryRun ? t('imports.previewTitle') : t('imports.resultTitle')}
          extra={<Button icon={<ReloadOutlined />} onClick={() => reset()}>{t('imports.another')}</Button>}
        >
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Row gutter={16}>
              <Col span={4}><Statistic title={t('imports.lines')} value={report.lines} /></Col>
              {(['added', 'updated', 'unchanged', 'refused'] as const).map((k) => (
                <Col span={5} key={k}>
                  <Statistic title={t(`imports.summary.${k}`)} value={report.summary[k]} styles={{ content: { color: k === 'refused' && report.summary[k] > 0 ? '#cf1322' : undefined } }} />
                </Col>
              ))}
            </Row>
            {report.dryRun && <Alert type="info" showIcon title={t('imports.previewNote')} />}
            {!report.dryRun && !report.written && <Alert type="warning" showIcon title={t('imports.strictNothing')} />}
            {preview && (
              <Space wrap>
                <Checkbox checked={strict} onChange={(e) => setStrict(e.target.checked)} disabled={sending}>{t('imports.strict')}</Checkbox>
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  loading={sending}
                  disabled={!file || preview.summary.added + preview.summary.updated === 0 || (strict && preview.summary.refused > 0)}
                  onClick={() => file && send.mutate({ file, dryRun: false })}
                >
                  {t('imports.confirm', { count: preview.summary.added + preview.summary.updated })}
                </Button>
              </Space>
            )}
            {report.problemsTotal > 0 && (
              <>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t('imports.refusedTitle', { count: report.summary.refused })}
                </Typography.Title>
                {report.problemsTotal > report.problems.length && <Alert type="warning" showIcon title={t('imports.truncated', { shown: report.problems.length, total: report.problemsTotal })} />}
                <Table<ImportProblem>
                  size="small"
                  rowKey={(p) => `${p.line}:${p.field}:${p.rule}`}
                  columns={columns}
                  dataSource={report.problems}
                  pagination={{ pageSize: 20, showSizeChanger: false }}
                />
              </>
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}
