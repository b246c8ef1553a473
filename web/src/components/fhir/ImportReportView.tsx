// The report of an imported bundle (POST /fhir's 200): the totals, the resources read by type (those of
// types that are never imported in grey), then a row per Patient of the bundle — its source id, the masked
// ID number it matched and how, what was written now and what was there already, where the bundle's name,
// sex or birth date differ from the roster (the roster's kept), medications kept as text, and each resource
// skipped with the server's reason.
import { Alert, Col, Row, Space, Statistic, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { HTMLAttributes, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNT_KINDS, type Counts, type ImportReport, type PatientReport } from './api.ts';

const sum = (c: Counts) => c.diagnoses + c.readings + c.medications;

/** The three counts of a patient or the totals: stacked in a table's cell, in a line under a total. */
function CountsText({ counts, testId, stacked = false }: { counts: Counts; testId?: string; stacked?: boolean }) {
  const { t } = useTranslation();
  return (
    <span data-testid={testId} className={stacked ? 'fhir-counts fhir-counts--stacked' : 'fhir-counts'}>
      {COUNT_KINDS.map((k) => (
        <span key={k} className={counts[k] ? 'fhir-counts__n' : 'fhir-counts__zero'} data-kind={k} data-count={counts[k]}>
          {t(`fhir.import.counts.${k}`)} {counts[k]}
        </span>
      ))}
    </span>
  );
}

function MatchTag({ p }: { p: PatientReport }) {
  const { t } = useTranslation();
  if (p.outsideScope) return <Tag color="orange">{t('fhir.import.matchedBy.outsideScope')}</Tag>;
  if (!p.matchedBy) return <Tag color="red">{t('fhir.import.matchedBy.none')}</Tag>;
  return <Tag color="green">{t(`fhir.import.matchedBy.${p.matchedBy}`)}</Tag>;
}

function Details({ p }: { p: PatientReport }) {
  const { t } = useTranslation();
  const shown = (field: string, value: string) => (field === 'sex' && (value === 'male' || value === 'female') ? t(`person.sex.${value}`) : value);
  const parts = [];
  if (p.outsideScope) parts.push(<Typography.Text key="scope" type="secondary">{t('fhir.import.outsideScopeHint')}</Typography.Text>);
  else if (!p.matchedBy) parts.push(<Typography.Text key="none" type="secondary">{t('fhir.import.unmatchedHint')}</Typography.Text>);
  for (const d of p.differences) {
    parts.push(
      <div key={`d-${d.field}`} data-testid="fhir-difference">
        {t('fhir.import.difference', { field: t(`fhir.import.field.${d.field}`), roster: shown(d.field, d.roster), source: shown(d.field, d.source) })}
      </div>,
    );
  }
  if (p.unmapped.length) parts.push(<div key="unmapped">{t('fhir.import.unmapped', { list: p.unmapped.join('；') })}</div>);
  if (p.skipped.length) {
    parts.push(
      <details key="skipped" className="fhir-skipped" data-testid="fhir-skipped">
        <summary>{t('fhir.import.skippedTitle', { count: p.skipped.length })}</summary>
        <ul>
          {p.skipped.map((s) => (
            <li key={`${s.resourceType}/${s.sourceId}`}>
              <Typography.Text code>{`${s.resourceType}/${s.sourceId}`}</Typography.Text> {s.reason}
            </li>
          ))}
        </ul>
      </details>,
    );
  }
  return parts.length ? <Space orientation="vertical" size={2} style={{ width: '100%' }}>{parts}</Space> : <Typography.Text type="secondary">—</Typography.Text>;
}

export default function ImportReportView({ report, file }: { report: ImportReport; file: string }) {
  const { t } = useTranslation();
  const patients = report.bundles.flatMap((b) => b.patients);
  const { totals } = report;
  const matched = patients.length - totals.unmatchedPatients - totals.outsideScopePatients;
  const read = Object.entries(totals.read).sort((a, b) => b[1] - a[1]);
  const notImported = new Set(Object.keys(totals.notImported));
  const columns: TableColumnsType<PatientReport> = [
    { title: t('fhir.import.col.sourceId'), dataIndex: 'sourceId', width: 280, render: (id: string) => <Typography.Text code className="fhir-break">{id}</Typography.Text> },
    { title: t('fhir.import.col.idNumber'), dataIndex: 'idNumber', width: 190, render: (n: string | null) => (n ? <span className="mono fhir-nowrap">{n}</span> : '—') },
    { title: t('fhir.import.col.matchedBy'), key: 'matchedBy', width: 110, render: (_, p) => <MatchTag p={p} /> },
    { title: t('fhir.import.col.imported'), key: 'imported', width: 100, render: (_, p) => <CountsText counts={p.imported} testId="fhir-patient-imported" stacked /> },
    { title: t('fhir.import.col.unchanged'), key: 'unchanged', width: 100, render: (_, p) => <CountsText counts={p.unchanged} testId="fhir-patient-unchanged" stacked /> },
    { title: t('fhir.import.col.details'), key: 'details', render: (_, p) => <Details p={p} /> },
  ];
  const stat = (key: string, title: string, value: number, extra?: ReactNode, danger = false) => (
    <Col xs={12} md={8} xl={key === 'imported' || key === 'unchanged' ? 4 : 3} key={key}>
      <Statistic title={title} value={value} styles={{ content: { color: danger && value > 0 ? '#cf1322' : undefined } }} data-testid={`fhir-total-${key}`} />
      {extra}
    </Col>
  );
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="fhir-report">
      <Typography.Text type="secondary">{t('fhir.import.file', { file })}</Typography.Text>
      <Row gutter={[16, 16]}>
        {stat('patients', t('fhir.import.totals.patients'), patients.length)}
        {stat('matched', t('fhir.import.totals.matched'), matched)}
        {stat('unmatched', t('fhir.import.totals.unmatched'), totals.unmatchedPatients, undefined, true)}
        {totals.outsideScopePatients > 0 && stat('outsideScope', t('fhir.import.totals.outsideScope'), totals.outsideScopePatients, undefined, true)}
        {stat('imported', t('fhir.import.totals.imported'), sum(totals.imported), <CountsText counts={totals.imported} testId="fhir-totals-imported" />)}
        {stat('unchanged', t('fhir.import.totals.unchanged'), sum(totals.unchanged), <CountsText counts={totals.unchanged} testId="fhir-totals-unchanged" />)}
        {stat('skipped', t('fhir.import.totals.skipped'), totals.skipped)}
      </Row>
      {matched > 0 && sum(totals.imported) === 0 && sum(totals.unchanged) > 0 && <Alert type="info" showIcon title={t('fhir.import.unchangedNote')} />}
      {read.length > 0 && (
        <div data-testid="fhir-read">
          <Typography.Text type="secondary">{t('fhir.import.resourcesTitle')}：</Typography.Text>
          <Space size={[4, 4]} wrap style={{ marginTop: 4 }}>
            {read.map(([type, n]) => (
              <Tag key={type} color={notImported.has(type) ? undefined : 'blue'} bordered={!notImported.has(type)} data-testid="fhir-read-type" data-type={type}>
                {t('fhir.import.readTag', { type, count: n })}
              </Tag>
            ))}
          </Space>
          {notImported.size > 0 && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('fhir.import.notImportedNote')}</Typography.Text>
            </div>
          )}
        </div>
      )}
      <Typography.Title level={5} style={{ margin: 0 }}>{t('fhir.import.patientsTitle', { count: patients.length })}</Typography.Title>
      <Table<PatientReport>
        size="small"
        rowKey={(p) => p.sourceId}
        columns={columns}
        dataSource={patients}
        pagination={patients.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        tableLayout="fixed"
        onRow={() => ({ 'data-testid': 'fhir-patient-row' }) as HTMLAttributes<HTMLElement>}
      />
    </Space>
  );
}
