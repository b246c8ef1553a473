// 我的健康管理 (patient): my next follow-up, my BP / glucose readings against my targets, my visits and
// the reminders I was sent. Shown on the patient's own page (我的信息).
import { Card, Col, Empty, Row, Skeleton, Space, Table, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ClassificationTag, DueTag } from './labels.tsx';
import { useMyFollowups, useMyReminders } from './queries.ts';
import ReminderList from './ReminderList.tsx';
import { BpTrendChart, GlucoseTrendChart } from './TrendCharts.tsx';
import type { MyVisit } from './types.ts';
import { bpText, tenthsText } from './units.ts';
import './followup.css';

export default function MyFollowUps() {
  const { t } = useTranslation();
  const mine = useMyFollowups();
  const reminders = useMyReminders();

  if (mine.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  }
  if (!mine.data) return null; // no record linked: the page above says so

  const d = mine.data;
  const last = d.visits[0];
  const showGlucose = d.series.glucose.length > 0;
  const thisYear = d.management.reduce((n, m) => Math.max(n, m.faceToFaceFollowUps), 0);
  const required = d.management[0]?.required ?? 4;

  return (
    <div className="page-stack" data-testid="my-followups">
      <Card title={t('followup.mine.title')} size="small">
        <div className="fu-mine">
          <div className="fu-mine__next" data-testid="my-next-visit">
            <div className="fu-outcome__label">{t('followup.mine.nextVisit')}</div>
            {d.nextVisit ? (
              <>
                <span className="fu-outcome__date mono" data-testid="my-next-date">
                  {d.nextVisit.dueDate}
                </span>
                <DueTag state={d.nextVisit.state} daysOverdue={d.nextVisit.daysOverdue} daysUntilDue={d.nextVisit.daysUntilDue} />
                <Typography.Paragraph type="secondary" className="fu-mine__hint">
                  {d.nextVisit.state === 'overdue' ? t('followup.mine.overdueHint') : t('followup.mine.nextHint')}
                </Typography.Paragraph>
              </>
            ) : (
              <Typography.Text type="secondary">{t('followup.mine.noNextVisit')}</Typography.Text>
            )}
          </div>
          <div className="fu-mine__last">
            <div className="fu-outcome__label">{t('followup.mine.lastReading')}</div>
            {last ? (
              <Space direction="vertical" size={2}>
                <Typography.Text type="secondary" className="mono">
                  {last.visitDate}
                </Typography.Text>
                {last.systolic !== null ? (
                  <span className="mono fu-mine__value">
                    {bpText(last.systolic, last.diastolic)} <small>mmHg</small>
                  </span>
                ) : null}
                {last.fastingGlucoseTenths !== null ? (
                  <span className="mono fu-mine__value">
                    {tenthsText(last.fastingGlucoseTenths)} <small>mmol/L</small>
                  </span>
                ) : null}
                <ClassificationTag value={last.classification} />
              </Space>
            ) : (
              <Typography.Text type="secondary">{t('followup.mine.noVisits')}</Typography.Text>
            )}
          </div>
          <div className="fu-mine__targets">
            <div className="fu-outcome__label">{t('followup.mine.targets')}</div>
            <div>{t('followup.chart.targetBp', d.targets.bp)}</div>
            <div>{t('followup.chart.targetGlucose', { value: tenthsText(d.targets.fastingGlucoseTenthsBelow) })}</div>
            <Typography.Text type="secondary">{t('followup.mine.thisYear', { count: thisYear, required })}</Typography.Text>
          </div>
        </div>
      </Card>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={showGlucose ? 12 : 24}>
          <Card size="small" title={t('followup.mine.bpTrend')}>
            <BpTrendChart series={d.series.bp} targets={d.targets} height={240} />
          </Card>
        </Col>
        {showGlucose ? (
          <Col xs={24} lg={12}>
            <Card size="small" title={t('followup.mine.glucoseTrend')}>
              <GlucoseTrendChart series={d.series.glucose} targets={d.targets} height={240} />
            </Card>
          </Col>
        ) : null}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('followup.mine.visits')}>
            <Table<MyVisit>
              rowKey={(v) => `${v.visitDate}-${v.nextVisitDate}-${v.systolic}`}
              size="small"
              dataSource={d.visits}
              pagination={d.visits.length > 5 ? { pageSize: 5, size: 'small', showSizeChanger: false } : false}
              scroll={{ x: 'max-content' }}
              onRow={(v) => ({ 'data-testid': 'my-visit-row', 'data-visit-date': v.visitDate }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.mine.noVisits')} /> }}
              columns={[
                { title: t('followup.fields.visitDate'), dataIndex: 'visitDate', render: (x: string) => <span className="mono">{x}</span> },
                { title: t('followup.fields.mode'), dataIndex: 'mode', render: (m: string) => t(`followup.mode.${m}`) },
                { title: t('followup.fields.bp'), key: 'bp', render: (_, v) => <span className="mono">{bpText(v.systolic, v.diastolic)}</span> },
                { title: t('followup.fields.fastingGlucose'), key: 'glu', render: (_, v) => <span className="mono">{tenthsText(v.fastingGlucoseTenths)}</span> },
                { title: t('followup.fields.classification'), key: 'c', render: (_, v) => <ClassificationTag value={v.classification} /> },
                { title: t('followup.fields.nextVisitDate'), dataIndex: 'nextVisitDate', render: (x: string) => <span className="mono">{x}</span> },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('followup.mine.reminders')} data-testid="my-reminders">
            {reminders.isPending ? <Skeleton active paragraph={{ rows: 2 }} /> : <ReminderList reminders={reminders.data ?? []} limit={10} />}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
