// 我的健康管理 (patient): my next follow-up, my BP / glucose readings against my targets, my visits and
// the reminders I was sent. Shown on the patient's own page (我的信息). Targets and trend charts are
// shown for the diseases registered (认定登记 confirmed) on my record only; on a phone the visits are a
// list instead of a table.
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, List, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useIsPhone } from '../../layout/useIsPhone.ts';
import type { PersonDetail } from '../../types.ts';
import { ClassificationTag, DueTag } from './labels.tsx';
import { useMyFollowups, useMyReminders } from './queries.ts';
import ReminderList from './ReminderList.tsx';
import { BpTrendChart, GlucoseTrendChart } from './TrendCharts.tsx';
import type { MyVisit } from './types.ts';
import { bpText, tenthsText } from './units.ts';
import './followup.css';

const visitKey = (v: MyVisit) => `${v.visitDate}-${v.nextVisitDate}-${v.systolic}`;

function VisitCards({ visits, showBp, showGlucose }: { visits: MyVisit[]; showBp: boolean; showGlucose: boolean }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      dataSource={visits}
      rowKey={visitKey}
      pagination={visits.length > 5 ? { pageSize: 5, size: 'small', align: 'center' } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.mine.noVisits')} /> }}
      renderItem={(v) => (
        <List.Item data-testid="my-visit-row" data-visit-date={v.visitDate}>
          <div className="fu-visit-card">
            <div className="fu-visit-card__head">
              <span className="mono">{v.visitDate}</span>
              <Tag>{t(`followup.mode.${v.mode}`)}</Tag>
              <ClassificationTag value={v.classification} />
            </div>
            <div className="fu-visit-card__values">
              {showBp && v.systolic !== null ? (
                <span>
                  {t('followup.mine.bpShort')} <span className="mono">{bpText(v.systolic, v.diastolic)}</span> <small>mmHg</small>
                </span>
              ) : null}
              {showGlucose && v.fastingGlucoseTenths !== null ? (
                <span>
                  {t('followup.mine.glucoseShort')} <span className="mono">{tenthsText(v.fastingGlucoseTenths)}</span> <small>mmol/L</small>
                </span>
              ) : null}
            </div>
            <Typography.Text type="secondary" className="fu-visit-card__next">
              {t('followup.mine.nextOn', { date: v.nextVisitDate })}
            </Typography.Text>
          </div>
        </List.Item>
      )}
    />
  );
}

export default function MyFollowUps() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const mine = useMyFollowups();
  const reminders = useMyReminders();
  // the same query as the page's header card: my record, with each disease's registration status
  const me = useQuery({
    queryKey: ['people', 'me'],
    queryFn: ({ signal }) => api<PersonDetail>('/api/people/me', { signal }),
    meta: { silent: true },
  });

  if (mine.isPending || me.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  }
  if (!mine.data) return null; // no record linked: the page above says so

  const d = mine.data;
  const registered = new Set((me.data?.diseases ?? []).filter((x) => x.status === 'confirmed').map((x) => x.code));
  const hypertension = registered.has('hypertension');
  const diabetes = registered.has('diabetes');
  const last = d.visits[0];
  // readings are shown when measured; targets and trends belong to a registered disease
  const bpColumn = hypertension || d.visits.some((v) => v.systolic !== null);
  const glucoseColumn = diabetes || d.visits.some((v) => v.fastingGlucoseTenths !== null);
  const charts = [hypertension ? 'bp' : null, diabetes && d.series.glucose.length > 0 ? 'glucose' : null].filter(Boolean);
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
              <Space orientation="vertical" size={2}>
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
          <div className="fu-mine__targets" data-testid="my-targets">
            <div className="fu-outcome__label">{t('followup.mine.targets')}</div>
            {hypertension ? <div data-testid="my-target-bp">{t('followup.mine.targetBp', d.targets.bp)}</div> : null}
            {diabetes ? (
              <div data-testid="my-target-glucose">
                {t('followup.mine.targetGlucose', { value: tenthsText(d.targets.fastingGlucoseTenthsBelow) })}
              </div>
            ) : null}
            {!hypertension && !diabetes ? <Typography.Text type="secondary">{t('followup.mine.noTargets')}</Typography.Text> : null}
            <div>
              <Typography.Text type="secondary">{t('followup.mine.thisYear', { count: thisYear, required })}</Typography.Text>
            </div>
          </div>
        </div>
      </Card>

      {charts.length ? (
        <Row gutter={[16, 16]}>
          {hypertension ? (
            <Col xs={24} lg={charts.length > 1 ? 12 : 24}>
              <Card size="small" title={t('followup.mine.bpTrend')} data-testid="my-bp-trend">
                <BpTrendChart series={d.series.bp} targets={d.targets} height={240} />
              </Card>
            </Col>
          ) : null}
          {charts.includes('glucose') ? (
            <Col xs={24} lg={charts.length > 1 ? 12 : 24}>
              <Card size="small" title={t('followup.mine.glucoseTrend')} data-testid="my-glucose-trend">
                <GlucoseTrendChart series={d.series.glucose} targets={d.targets} height={240} />
              </Card>
            </Col>
          ) : null}
        </Row>
      ) : null}

      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('followup.mine.visits')}>
            {phone ? (
              <VisitCards visits={d.visits} showBp={bpColumn} showGlucose={glucoseColumn} />
            ) : (
              <Table<MyVisit>
                rowKey={visitKey}
                size="small"
                dataSource={d.visits}
                pagination={d.visits.length > 5 ? { pageSize: 5, size: 'small', showSizeChanger: false } : false}
                scroll={{ x: 'max-content' }}
                onRow={(v) => ({ 'data-testid': 'my-visit-row', 'data-visit-date': v.visitDate }) as HTMLAttributes<HTMLElement>}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.mine.noVisits')} /> }}
                columns={[
                  { title: t('followup.fields.visitDate'), dataIndex: 'visitDate', render: (x: string) => <span className="mono">{x}</span> },
                  { title: t('followup.fields.mode'), dataIndex: 'mode', render: (m: string) => t(`followup.mode.${m}`) },
                  ...(bpColumn
                    ? [{ title: t('followup.fields.bp'), key: 'bp', render: (_: unknown, v: MyVisit) => <span className="mono">{bpText(v.systolic, v.diastolic)}</span> }]
                    : []),
                  ...(glucoseColumn
                    ? [
                        {
                          title: t('followup.fields.fastingGlucose'),
                          key: 'glu',
                          render: (_: unknown, v: MyVisit) => <span className="mono">{tenthsText(v.fastingGlucoseTenths)}</span>,
                        },
                      ]
                    : []),
                  { title: t('followup.fields.classification'), key: 'c', render: (_: unknown, v: MyVisit) => <ClassificationTag value={v.classification} /> },
                  { title: t('followup.fields.nextVisitDate'), dataIndex: 'nextVisitDate', render: (x: string) => <span className="mono">{x}</span> },
                ]}
              />
            )}
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
