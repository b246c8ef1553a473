// 健康档案: one patient's health management at a glance — who they are (contract, registrations, risk
// flags), the BP and fasting-glucose trends against their targets, this year's management status,
// the visits, the prescription in force, the annual health checks and the reminders sent; below them, what
// hospitals sent by FHIR import (readings and outside medication), apart from the follow-ups.
import { ArrowLeftOutlined, CheckCircleFilled, CloseCircleFilled, DownloadOutlined, ExperimentOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Avatar,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Progress,
  Result,
  Row,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { useMe } from '../auth.ts';
import PrescriptionTable from '../components/filing/PrescriptionTable.tsx';
import PersonPrescriptions, { PrescribeButton } from '../components/prescription/PersonPrescriptions.tsx';
import ReminderList from '../components/followup/ReminderList.tsx';
import HealthCheckDrawer from '../components/followup/HealthCheckDrawer.tsx';
import ImportedRecords from '../components/followup/ImportedRecords.tsx';
import { DueTag, ImportedMark, RiskFlagTag } from '../components/followup/labels.tsx';
import { WORKLIST_PATH } from '../components/followup/paths.ts';
import { useChart } from '../components/followup/queries.ts';
import { BpTrendChart, GlucoseTrendChart } from '../components/followup/TrendCharts.tsx';
import type { Chart, HealthCheck, Management, Visit, VisitTarget } from '../components/followup/types.ts';
import { bpText, tenthsText } from '../components/followup/units.ts';
import VisitFormDrawer from '../components/followup/VisitFormDrawer.tsx';
import VisitTable from '../components/followup/VisitTable.tsx';
import ReferButton from '../components/referral/ReferButton.tsx';
import { visitRefers } from '../components/referral/ReferralFormDrawer.tsx';
import '../components/followup/followup.css';
import { useDiseaseName } from '../format.ts';
import { errorLines } from '../notify.ts';

function Header({ chart, actions }: { chart: Chart; actions: React.ReactNode }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const p = chart.person;
  const none = t('common.none');
  return (
    <Card className="patient-card fu-header" data-testid="chart-header" data-person-id={p.id}>
      <div className="fu-header__top">
        <div className="patient-card__head">
          <Avatar size={56} className={`patient-avatar patient-avatar--${p.sex}`}>
            {p.name.slice(0, 1)}
          </Avatar>
          <div className="patient-card__identity">
            <Space size={8} align="center" wrap>
              <Typography.Title level={4} className="patient-card__name" data-testid="chart-name">
                {p.name}
              </Typography.Title>
              <Tag>{t(`person.sex.${p.sex}`)}</Tag>
              <Tag>{t('person.ageValue', { age: p.age })}</Tag>
              {chart.riskFlags.map((f) => (
                <RiskFlagTag key={f} flag={f} />
              ))}
            </Space>
            <Typography.Text type="secondary" className="patient-card__sub">
              <span className="patient-card__label">{t('person.fields.idNumber')}</span>
              <span className="mono">{p.idNumber}</span>
              <span className="dot-sep">·</span>
              <span className="patient-card__label">{t('person.fields.phone')}</span>
              <span className="mono">{p.phone ?? none}</span>
              <span className="dot-sep">·</span>
              {p.region.name}
            </Typography.Text>
          </div>
        </div>
        <div className="fu-header__next" data-testid="chart-next-visit">
          <div className="fu-outcome__label">{t('followup.result.nextVisit')}</div>
          {chart.nextVisit ? (
            <Space size={6} align="center">
              <span className="fu-outcome__date mono" data-testid="chart-next-date">
                {chart.nextVisit.dueDate}
              </span>
              <DueTag state={chart.nextVisit.state} daysOverdue={chart.nextVisit.daysOverdue} daysUntilDue={chart.nextVisit.daysUntilDue} />
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('followup.chart.noNextVisit')}</Typography.Text>
          )}
          <div className="fu-header__actions">{actions}</div>
        </div>
      </div>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, lg: 3 }}
        className="patient-card__details"
        items={[
          {
            key: 'contract',
            label: t('person.fields.contract'),
            children: chart.contract ? (
              <span data-testid="chart-contract">
                {chart.contract.team.name}
                <Typography.Text type="secondary" className="contract-until">
                  {chart.contract.startDate} ~ {chart.contract.endDate}
                </Typography.Text>
              </span>
            ) : (
              <Tag variant="filled">{t('person.notContracted')}</Tag>
            ),
          },
          {
            key: 'registrations',
            label: t('followup.chart.registrations'),
            children: chart.registrations.length ? (
              <Space size={[4, 4]} wrap data-testid="chart-registrations">
                {chart.registrations.map((r) => (
                  <Tag key={r.disease} color="success">
                    {diseaseName(r.disease, r.name)}
                    <span className="tag-meta">{t('followup.chart.since', { date: r.effectiveFrom })}</span>
                  </Tag>
                ))}
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('followup.chart.noRegistrations')}</Typography.Text>
            ),
          },
          {
            key: 'conditions',
            label: t('followup.chart.conditions'),
            children: chart.conditions.length ? (
              <Space size={[4, 4]} wrap>
                {chart.conditions.map((c) => (
                  <Tag key={c.code} color="blue" variant="outlined" data-testid="chart-condition" data-source={c.source}>
                    {diseaseName(c.code, c.name)}
                    <span className="tag-meta">{c.diagnosedOn}</span>
                    {c.source === 'import' ? <ImportedMark /> : null}
                  </Tag>
                ))}
              </Space>
            ) : (
              none
            ),
          },
        ]}
      />
    </Card>
  );
}

function ManagementCard({ management }: { management: Management[] }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const yes = (ok: boolean | null, text: string, noText: string) =>
    ok === null ? (
      <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
    ) : ok ? (
      <span className="fu-yes">
        <CheckCircleFilled /> {text}
      </span>
    ) : (
      <span className="fu-no">
        <CloseCircleFilled /> {noText}
      </span>
    );
  return (
    <Card size="small" title={t('followup.management.title', { year: management[0]?.year ?? '' })} data-testid="management-card">
      {management.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.management.none')} />
      ) : (
        <div className="fu-management">
          {management.map((m) => (
            <div key={m.disease} className="fu-management__item" data-testid="management" data-disease={m.disease} data-standardised={String(m.standardised)}>
              <div className="fu-management__head">
                <Typography.Text strong>{diseaseName(m.disease)}</Typography.Text>
                <Tag color={m.standardised ? 'success' : 'default'}>
                  {m.standardised ? t('followup.management.standardised') : t('followup.management.notYet')}
                </Tag>
              </div>
              <div className="fu-management__row">
                <span className="fu-management__label">{t('followup.management.followUps')}</span>
                <Progress
                  percent={Math.min(100, Math.round((m.faceToFaceFollowUps / Math.max(1, m.required)) * 100))}
                  size="small"
                  format={() => `${m.faceToFaceFollowUps} / ${m.required}`}
                  status={m.faceToFaceFollowUps >= m.required ? 'success' : 'normal'}
                  className="fu-management__progress"
                />
              </div>
              <div className="fu-management__row">
                <span className="fu-management__label">{t('followup.management.allFollowUps')}</span>
                <span className="mono">{m.followUps}</span>
              </div>
              <div className="fu-management__row">
                <span className="fu-management__label">{t('followup.management.lastControlled')}</span>
                {yes(m.lastControlled, t('followup.management.controlled'), t('followup.management.uncontrolled'))}
                {m.lastControlledDate ? (
                  <Typography.Text type="secondary" className="mono">
                    {m.lastControlledDate}
                  </Typography.Text>
                ) : null}
              </div>
              <div className="fu-management__row">
                <span className="fu-management__label">{t('followup.management.annualCheck')}</span>
                {yes(m.annualCheckDone, t('followup.management.done'), t('followup.management.notDone'))}
              </div>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

function HealthCheckTable({ checks }: { checks: HealthCheck[] }) {
  const { t } = useTranslation();
  return (
    <Table<HealthCheck>
      rowKey="id"
      size="small"
      dataSource={checks}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.check.none')} /> }}
      onRow={() => ({ 'data-testid': 'check-row' }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('followup.check.date'), dataIndex: 'checkDate', render: (d: string) => <span className="mono">{d}</span> },
        { title: t('followup.fields.bp'), key: 'bp', render: (_, c) => <span className="mono">{bpText(c.readings.systolic, c.readings.diastolic)}</span> },
        { title: t('followup.fields.bmi'), key: 'bmi', render: (_, c) => tenthsText(c.readings.bmiTenths) },
        { title: t('followup.fields.waist'), key: 'waist', render: (_, c) => tenthsText(c.readings.waistTenthsCm) },
        { title: t('followup.fields.fastingGlucose'), key: 'glu', render: (_, c) => tenthsText(c.readings.fastingGlucoseTenths) },
        { title: t('followup.fields.hba1c'), key: 'hba1c', render: (_, c) => tenthsText(c.readings.hba1cTenths) },
        { title: t('followup.fields.totalCholesterol'), key: 'tc', render: (_, c) => tenthsText(c.labs.totalCholesterolTenths) },
        { title: t('followup.fields.ldl'), key: 'ldl', render: (_, c) => tenthsText(c.labs.ldlTenths) },
        { title: t('followup.fields.creatinine'), key: 'cr', render: (_, c) => c.labs.creatinineUmol ?? t('common.none') },
        { title: t('followup.fields.ecg'), key: 'ecg', render: (_, c) => (c.ecg ? t(`followup.checkResult.${c.ecg}`, { defaultValue: c.ecg }) : t('common.none')) },
        { title: t('followup.fields.fundus'), key: 'fundus', render: (_, c) => (c.fundus ? t(`followup.checkResult.${c.fundus}`, { defaultValue: c.fundus }) : t('common.none')) },
        { title: t('followup.fields.findings'), dataIndex: 'findings', render: (f: string | null) => f ?? t('common.none') },
      ]}
    />
  );
}

/** `back`: where the page's back link leads (the worklist, or for the hospital doctor the incoming referrals). */
export default function FollowUpChartPage({ back: backTo = { path: WORKLIST_PATH, labelKey: 'followup.chart.back' } }: { back?: { path: string; labelKey: string } }) {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const me = useMe();
  const chart = useChart(id);
  const [visitTarget, setVisitTarget] = useState<VisitTarget | null>(null);
  const [checkTarget, setCheckTarget] = useState<VisitTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  const [lastSaved, setLastSaved] = useState<string | null>(null);
  const isDoctor = me.data?.role === 'family_doctor';

  const back = (
    <Link to={backTo.path} className="fu-back" data-testid="chart-back">
      <ArrowLeftOutlined /> {t(backTo.labelKey)}
    </Link>
  );

  if (chart.isError) {
    const status = chart.error instanceof ApiError ? chart.error.status : 0;
    return (
      <div className="page-stack">
        {back}
        <Card>
          <Result
            status={status === 403 ? '403' : status === 404 ? '404' : 'error'}
            title={status === 403 ? t('followup.chart.forbidden') : status === 404 ? t('followup.chart.notFound') : t('errors.loadFailed')}
            subTitle={errorLines(chart.error).join('；')}
          />
        </Card>
      </div>
    );
  }
  if (!chart.data) {
    return (
      <div className="page-stack">
        {back}
        <Card>
          <Skeleton avatar active paragraph={{ rows: 6 }} />
        </Card>
      </div>
    );
  }

  const c = chart.data;
  const target: VisitTarget = { person: c.person, diseases: c.conditions.map((x) => x.code) };
  const open = (set: (v: VisitTarget) => void) => {
    setOpenings((n) => n + 1);
    set(target);
  };
  const showGlucose = c.conditions.some((x) => x.code === 'diabetes') || c.series.glucose.length > 0;

  return (
    <div className="page-stack" data-testid="chart-page">
      {back}
      <Header
        chart={c}
        actions={
          isDoctor ? (
            <Space size={8} wrap>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => open(setVisitTarget)} data-testid="chart-record-visit">
                {t('followup.recordVisit')}
              </Button>
              <Button icon={<ExperimentOutlined />} onClick={() => open(setCheckTarget)} data-testid="chart-health-check">
                {t('followup.check.action')}
              </Button>
              <PrescribeButton person={{ id: c.person.id, name: c.person.name, idNumber: c.person.idNumber }} />
              <ReferButton person={{ id: c.person.id, name: c.person.name, idNumber: c.person.idNumber }} visits={c.visits} />
              {/* the record as FHIR R4 for a hospital's system (Patient/$everything; the ID number masked, as here) */}
              <Button icon={<DownloadOutlined />} href={`/fhir/Patient/${c.person.id}/$everything`} download={`${c.person.name}-FHIR.json`} data-testid="chart-fhir">
                {t('followup.chart.fhirDownload')}
              </Button>
            </Space>
          ) : null
        }
      />

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={showGlucose ? 9 : 14}>
          <Card size="small" title={t('followup.chart.bpTrend')} extra={<Typography.Text type="secondary">{t('followup.chart.targetBp', c.targets.bp)}</Typography.Text>}>
            <BpTrendChart series={c.series.bp} targets={c.targets} />
          </Card>
        </Col>
        {showGlucose ? (
          <Col xs={24} xl={8}>
            <Card
              size="small"
              title={t('followup.chart.glucoseTrend')}
              extra={<Typography.Text type="secondary">{t('followup.chart.targetGlucose', { value: tenthsText(c.targets.fastingGlucoseTenthsBelow) })}</Typography.Text>}
            >
              <GlucoseTrendChart series={c.series.glucose} targets={c.targets} />
            </Card>
          </Col>
        ) : null}
        <Col xs={24} xl={showGlucose ? 7 : 10}>
          <ManagementCard management={c.management} />
        </Col>
      </Row>

      <Card size="small" className="fu-tabs-card">
        <Tabs
          items={[
            {
              key: 'visits',
              label: (
                <span data-testid="tab-visits">
                  {t('followup.chart.visits')} <Tag className="fu-count">{c.visits.length}</Tag>
                </span>
              ),
              children: (
                <VisitTable
                  visits={c.visits}
                  highlightId={lastSaved}
                  visitAction={isDoctor ? (v) => (visitRefers(v) ? <ReferButton size="small" person={{ id: c.person.id, name: c.person.name, idNumber: c.person.idNumber }} visit={v} /> : null) : undefined}
                />
              ),
            },
            {
              key: 'prescription',
              label: <span data-testid="tab-prescription">{t('followup.chart.prescription')}</span>,
              children: c.prescription.length ? (
                <PrescriptionTable lines={c.prescription} testId="chart-prescription" />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rx.none')} />
              ),
            },
            {
              key: 'prescriptions',
              label: <span data-testid="tab-prescriptions">{t('prescriptions.chartTab')}</span>,
              children: <PersonPrescriptions person={{ id: c.person.id, name: c.person.name, idNumber: c.person.idNumber }} canWrite={isDoctor} />,
            },
            {
              key: 'checks',
              label: (
                <span data-testid="tab-checks">
                  {t('followup.chart.healthChecks')} <Tag className="fu-count">{c.healthChecks.length}</Tag>
                </span>
              ),
              children: <HealthCheckTable checks={c.healthChecks} />,
            },
            {
              key: 'reminders',
              label: (
                <span data-testid="tab-reminders">
                  {t('followup.chart.reminders')} <Tag className="fu-count">{c.reminders.length}</Tag>
                </span>
              ),
              children: <ReminderList reminders={c.reminders} />,
            },
          ]}
        />
      </Card>

      <ImportedRecords readings={c.importedReadings} medications={c.outsideMedications} />

      <VisitFormDrawer
        key={`visit-${openings}`}
        target={visitTarget}
        onClose={(saved?: Visit) => {
          setVisitTarget(null);
          if (saved) setLastSaved(saved.id);
        }}
      />
      <HealthCheckDrawer key={`check-${openings}`} target={checkTarget} onClose={() => setCheckTarget(null)} />
    </div>
  );
}
