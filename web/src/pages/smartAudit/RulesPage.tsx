// 审核规则 (system administrator): the smart audit's rules as data — code, version, what each checks in
// an official's words, its parameters, the national rule it stands for, the assessment points of a
// confirmed finding — every version kept; and 按日审核: run the audit over one service date now, with
// the last runs (what they checked, what they found, what was new).
import { PlayCircleOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, DatePicker, Empty, Form, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines, applyServerErrors } from '../../formErrors.ts';
import { ISO_DATE, formatDateTime, toIsoDate } from '../../format.ts';
import { FactList } from '../../components/smartAudit/Evidence.tsx';
import { onFormFields } from '../../components/smartAudit/errors.ts';
import { type AuditRule, type AuditRun, ruleDescription, ruleTitle, useRules, useRuns, useStartRun } from '../../components/smartAudit/api.ts';
import '../../components/smartAudit/smartAudit.css';

/** The last runs shown beside the form (the rules below matter more on this page). */
const RUNS_SHOWN = 5;

function RunCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const runs = useRuns();
  const start = useStartRun();
  const [form] = Form.useForm<{ date: Dayjs }>();
  const [alert, setAlert] = useState<string[]>([]);

  const run = async ({ date }: { date: Dayjs }) => {
    setAlert([]);
    try {
      const { run: done, backfilled } = await start.mutateAsync(toIsoDate(date)!);
      void message.success(t('smartAudit.runs.done', { date: done.date, total: done.findingsTotal, fresh: done.findingsNew }));
      if (backfilled.length) void message.info(t('smartAudit.runs.backfilled', { days: backfilled.join('、') }));
    } catch (error) {
      setAlert(applyServerErrors(form, onFormFields(error, {})).unplaced);
    }
  };

  const columns: TableColumnsType<AuditRun> = [
    { title: t('smartAudit.runs.serviceDate'), dataIndex: 'date', render: (d: string) => <span className="mono">{d}</span> },
    { title: t('smartAudit.runs.trigger'), dataIndex: 'trigger', render: (x: string) => t(`smartAudit.runs.triggers.${x}`, { defaultValue: x }) },
    { title: t('smartAudit.runs.startedAt'), dataIndex: 'startedAt', render: (at: string) => <span className="mono">{formatDateTime(at)}</span> },
    {
      title: t('smartAudit.runs.took'),
      key: 'took',
      align: 'right',
      render: (_, r) => (r.finishedAt ? t('smartAudit.runs.seconds', { s: (dayjs(r.finishedAt).diff(dayjs(r.startedAt)) / 1000).toFixed(1) }) : t('smartAudit.runs.running')),
    },
    { title: t('smartAudit.runs.claims'), dataIndex: 'claimsChecked', align: 'right' },
    { title: t('smartAudit.runs.prescriptions'), dataIndex: 'prescriptionsChecked', align: 'right' },
    { title: t('smartAudit.runs.findings'), key: 'findings', align: 'right', render: (_, r) => <span data-testid="run-findings">{t('smartAudit.runs.findingsValue', { total: r.findingsTotal, fresh: r.findingsNew })}</span> },
  ];

  return (
    <Card size="small" title={t('smartAudit.runs.title')} data-testid="audit-runs">
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="run-alert" /> : null}
      <Form form={form} layout="inline" initialValues={{ date: dayjs().subtract(1, 'day') }} onFinish={(v) => void run(v)} className="sa-draw-form">
        <Form.Item name="date" label={t('smartAudit.runs.serviceDate')} rules={[{ required: true, message: t('smartAudit.runs.dateRequired') }]}>
          <DatePicker format={ISO_DATE} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="run-date" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={start.isPending} data-testid="run-submit">
            {t('smartAudit.runs.run')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" className="sa-hint">
        {t('smartAudit.runs.hint')}
      </Typography.Paragraph>
      {runs.isError ? <Alert type="error" showIcon title={actionErrorLines(runs.error).join('；')} /> : null}
      <Table<AuditRun>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={(runs.data?.items ?? []).slice(0, RUNS_SHOWN)}
        loading={runs.isFetching}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-testid': 'run-row', 'data-date': r.date }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('smartAudit.runs.empty')} /> }}
      />
    </Card>
  );
}

export default function RulesPage() {
  const { t } = useTranslation();
  const rules = useRules();
  const items = [...(rules.data?.items ?? [])].sort((a, b) => a.code.localeCompare(b.code) || b.version - a.version);

  const columns: TableColumnsType<AuditRule> = [
    {
      title: t('smartAudit.rules.rule'),
      key: 'rule',
      width: 220,
      render: (_, r) => (
        <div>
          <Typography.Text strong>{ruleTitle(r, r.code)}</Typography.Text>
          <div className="cell-sub mono">
            {r.code} · v{r.version}
          </div>
          {r.active ? null : <Tag className="tag-gap">{t('smartAudit.rules.inactive')}</Tag>}
        </div>
      ),
    },
    { title: t('smartAudit.rules.description'), key: 'description', render: (_, r) => <span className="sa-wrap">{ruleDescription(r)}</span> },
    { title: t('smartAudit.rules.params'), key: 'params', width: 280, render: (_, r) => <FactList facts={r.params} nested /> },
    { title: t('smartAudit.rules.nationalRule'), key: 'national', width: 220, render: (_, r) => <span className="sa-wrap">{r.nationalRule ?? t('smartAudit.rules.noNationalRule')}</span> },
    { title: t('smartAudit.rules.points'), dataIndex: 'points', width: 90, align: 'right' },
  ];

  return (
    <div className="page-stack">
      <RunCard />
      <Card className="list-card" title={t('smartAudit.rules.title')}>
        {rules.isError ? <Alert type="error" showIcon title={actionErrorLines(rules.error).join('；')} /> : null}
        <Table<AuditRule>
          rowKey={(r) => `${r.code}@${r.version}`}
          size="small"
          columns={columns}
          dataSource={items}
          loading={rules.isFetching}
          pagination={false}
          tableLayout="fixed"
          rowClassName={(r) => (r.active ? '' : 'sa-row--inactive')}
          onRow={(r) => ({ 'data-testid': 'rule-row', 'data-code': r.code, 'data-version': r.version }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
