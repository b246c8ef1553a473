// 导出 (the system administrator's): a county's or the city's bulk export kicked off on the server
// (GET /fhir/Group/:code/$export), then the recent jobs — a running one with the persons written so far
// (the list asked again every 2 s while one runs), a completed one with a download link per NDJSON file
// (its resource type and count) and a delete button behind a confirmation, a failed one with its error.
import { CloudDownloadOutlined, DeleteOutlined, DownloadOutlined, LoadingOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Popconfirm, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { formatDateTime } from '../../format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { errorLines } from '../../notify.ts';
import { type ExportJob, exportFileUrl, useDeleteExport, useExportJobs, useRegions, useStartExport } from './api.ts';
import RegionSelect from './RegionSelect.tsx';
import { regionName } from '../regionOptions.ts';
import './fhir.css';

const STATUS_COLOR: Record<ExportJob['status'], string> = { running: 'processing', completed: 'success', failed: 'error' };

function Files({ job }: { job: ExportJob }) {
  const { t } = useTranslation();
  const files = job.report?.files ?? [];
  if (!files.length) return <Typography.Text type="secondary">{t('fhir.export.noFiles')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      <Space size={[12, 4]} wrap data-testid="fhir-export-files">
        {files.map((f) => (
          <a key={f.type} href={exportFileUrl(job, f.type)} download={`${job.county}-${f.type}.ndjson`} data-testid="fhir-export-file" data-type={f.type} data-count={f.count} className="fhir-file">
            <DownloadOutlined /> {t('fhir.export.file', { type: f.type, count: f.count.toLocaleString() })}
          </a>
        ))}
      </Space>
      {job.report && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('fhir.export.summary', { persons: job.report.persons.toLocaleString(), resources: job.report.resources.toLocaleString(), seconds: job.report.seconds.toFixed(1) })}
        </Typography.Text>
      )}
    </Space>
  );
}

export default function ExportCard() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const english = currentLanguage() === 'en-US';
  const [region, setRegion] = useState<string | undefined>();
  const regions = useRegions(true);
  const jobs = useExportJobs(true);
  const start = useStartExport();
  const remove = useDeleteExport();
  const byCode = useMemo(() => new Map((regions.data ?? []).map((r) => [r.code, r])), [regions.data]);

  const columns: TableColumnsType<ExportJob> = [
    {
      title: t('fhir.export.col.region'),
      key: 'region',
      width: 200,
      render: (_, j) => {
        const r = byCode.get(j.county);
        return (
          <>
            <div>{r ? (r.level === 'city' ? `${regionName(r, english)} · ${t('fhir.export.city')}` : regionName(r, english)) : j.county}</div>
            <Typography.Text type="secondary" className="mono">{j.county}</Typography.Text>
          </>
        );
      },
    },
    {
      title: t('fhir.export.col.requested'),
      key: 'requested',
      width: 190,
      render: (_, j) => t('fhir.export.requested', { by: j.requestedBy, at: formatDateTime(j.requestedAt) }),
    },
    {
      title: t('fhir.export.col.status'),
      key: 'status',
      width: 170,
      render: (_, j) => (
        <Space orientation="vertical" size={2}>
          <Tag color={STATUS_COLOR[j.status]} icon={j.status === 'running' ? <LoadingOutlined /> : undefined} data-testid="fhir-export-status" data-status={j.status}>
            {t(`fhir.export.status.${j.status}`)}
          </Tag>
          {j.status === 'running' && <Typography.Text data-testid="fhir-export-progress">{t('fhir.export.personsDone', { count: j.personsDone })}</Typography.Text>}
          {j.finishedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(j.finishedAt)}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('fhir.export.col.files'),
      key: 'files',
      render: (_, j) =>
        j.status === 'completed' ? (
          <Files job={j} />
        ) : j.status === 'failed' ? (
          <Typography.Text type="danger" data-testid="fhir-export-error">{t('fhir.export.error', { error: j.error ?? '' })}</Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('fhir.export.col.actions'),
      key: 'actions',
      width: 110,
      render: (_, j) =>
        j.status === 'running' ? null : (
          <Popconfirm
            title={t('fhir.export.deleteConfirm')}
            description={t('fhir.export.deleteConfirmDesc')}
            okText={t('fhir.export.delete')}
            okButtonProps={{ danger: true, 'data-testid': 'fhir-export-delete-ok' } as never}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutateAsync(j.id).then(() => void message.success(t('fhir.export.deleted')))}
          >
            <Button size="small" danger icon={<DeleteOutlined />} loading={remove.isPending && remove.variables === j.id} data-testid="fhir-export-delete">
              {t('fhir.export.delete')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card title={t('fhir.export.title')} data-testid="fhir-export-card">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>{t('fhir.export.help')}</Typography.Paragraph>
        <Space wrap>
          <Typography.Text>{t('fhir.export.region')}</Typography.Text>
          <RegionSelect regions={regions.data ?? []} loading={regions.isPending} value={region} onChange={(v) => { setRegion(v); start.reset(); }} />
          <Button
            type="primary"
            icon={<CloudDownloadOutlined />}
            disabled={!region}
            loading={start.isPending}
            onClick={() => region && start.mutate(region, { onSuccess: () => void message.success(t('fhir.export.started')) })}
            data-testid="fhir-export-start"
          >
            {t('fhir.export.start')}
          </Button>
        </Space>
        {regions.isError && <Alert type="warning" showIcon title={errorLines(regions.error).join('；')} />}
        {start.isError && <Alert type="error" showIcon data-testid="fhir-export-start-error" title={actionErrorLines(start.error).join('；')} />}
        <div className="fhir-jobs-head">
          <Typography.Title level={5} style={{ margin: 0 }}>{t('fhir.export.jobsTitle')}</Typography.Title>
          <Button size="small" icon={<ReloadOutlined />} onClick={() => void jobs.refetch()}>{t('fhir.export.refresh')}</Button>
        </div>
        {jobs.isError && <Alert type="error" showIcon title={errorLines(jobs.error).join('；')} />}
        <Table<ExportJob>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={jobs.data ?? []}
          loading={jobs.isPending}
          pagination={false}
          tableLayout="fixed"
          locale={{ emptyText: t('fhir.export.empty') }}
          onRow={(j) => ({ 'data-testid': 'fhir-export-row', 'data-id': j.id, 'data-status': j.status }) as object}
        />
      </Space>
    </Card>
  );
}
