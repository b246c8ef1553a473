// 转入患者 (hospital doctor, /referrals/incoming): the up-referrals to this hospital, urgent first and then
// the longest waiting (the server's order), each with how long it has waited (等待 3 天 5 小时) and the four
// priorities given; accept and schedule, decline with a reason, mark attended, complete, and 下转 after
// discharge. 已下转: the down-referrals this hospital sent back and whether the team followed up.
// A row opens the referral — its summary and attached prescriptions — with its history; Back closes it.
import { ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { referredChartPath } from '../../components/followup/paths.ts';
import { useReferrals } from '../../components/referral/api.ts';
import DownReferralDrawer from '../../components/referral/DownReferralDrawer.tsx';
import { FollowUpDue, PriorityFlags, ReferralStateTag, UrgencyTag, Waiting } from '../../components/referral/labels.tsx';
import ReferralActions from '../../components/referral/ReferralActions.tsx';
import ReferralDetailDrawer from '../../components/referral/ReferralDetailDrawer.tsx';
import type { ReferralItem } from '../../components/referral/types.ts';
import '../../components/referral/referral.css';
import { formatDateTime, todayIso } from '../../format.ts';
import { useOverlay } from '../../hooks/overlay.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { errorLines } from '../../notify.ts';

type Tab = 'in' | 'down';

const TABS: readonly Tab[] = ['in', 'down'];

export default function IncomingReferralsPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'in';
  const incoming = useReferrals('in');
  const sent = useReferrals('down', tab === 'down');
  const list = tab === 'in' ? incoming : sent;
  const detail = useOverlay<string>('referral');
  // the down-referral form: Back closes it too (null: the doctor picks the patient in the form)
  const downForm = useOverlay<{ from: ReferralItem | null }>('down');
  const [openings, setOpenings] = useState(0);
  const referDown = (from: ReferralItem | null) => {
    setOpenings((n) => n + 1);
    downForm.open({ from }); // from the detail too: the form takes the overlay's place in the URL
  };
  const waiting = (incoming.data?.items ?? []).filter((r) => r.status === 'requested').length;

  const person = (r: ReferralItem) => (
    <div className="ref-cell-stack">
      <Typography.Text strong data-testid="referral-patient">
        {r.person.name}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t(`person.sex.${r.person.sex}`)} · {t('person.ageValue', { age: r.person.age })} · <span className="mono">{r.person.idNumber}</span>
      </Typography.Text>
      {r.inForce ? (
        // the chart while the referral is in force (the server's referred_here); the row's click opens the referral
        <Link to={referredChartPath(r.person.id)} onClick={(e) => e.stopPropagation()} data-testid="referral-chart">
          {t('referral.menu.chart')}
        </Link>
      ) : null}
    </div>
  );

  const inColumns: TableColumnsType<ReferralItem> = [
    { title: t('referral.fields.urgency'), dataIndex: 'urgency', width: 76, render: (u: string) => <UrgencyTag urgency={u} /> },
    { title: t('referral.fields.patient'), key: 'patient', width: 190, render: (_, r) => person(r) },
    {
      title: t('referral.fields.from'),
      key: 'from',
      render: (_, r) => (
        <div className="ref-cell-stack">
          <span>{r.from.institution.name}</span>
          <Typography.Text type="secondary">{[r.from.team?.name, r.from.by].filter(Boolean).join(' · ')}</Typography.Text>
        </div>
      ),
    },
    {
      title: t('referral.fields.reason'),
      key: 'reason',
      render: (_, r) => (
        <div className="ref-cell-stack">
          <span>{r.reason ?? t('common.none')}</span>
          <Typography.Text type="secondary">{[r.department, r.requestedDate ? `${t('referral.fields.requestedDate')} ${r.requestedDate}` : null].filter(Boolean).join(' · ')}</Typography.Text>
        </div>
      ),
    },
    { title: t('referral.fields.state'), dataIndex: 'status', width: 84, render: (s: string, r) => <ReferralStateTag state={s} direction={r.direction} /> },
    { title: t('referral.fields.waiting'), key: 'waiting', width: 140, render: (_, r) => <Waiting item={r} /> },
    {
      title: t('referral.priorities.title'),
      key: 'priorities',
      width: 150,
      render: (_, r) =>
        r.appointment ? (
          <div className="ref-cell-stack">
            <span className="mono" data-testid="referral-appointment">
              {r.appointment.date}
            </span>
            <PriorityFlags given={r.priorities} compact />
          </div>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    { title: t('common.actions'), key: 'actions', width: 170, render: (_, r) => <ReferralActions r={r} role="specialist" onReferDown={referDown} /> },
  ];

  const downColumns: TableColumnsType<ReferralItem> = [
    { title: t('referral.fields.patient'), key: 'patient', width: 220, render: (_, r) => person(r) },
    { title: t('referral.fields.team'), key: 'team', render: (_, r) => r.to.team?.name ?? t('common.none') },
    { title: t('referral.fields.dischargeDate'), key: 'discharge', width: 110, render: (_, r) => <span className="mono">{r.discharge?.date ?? t('common.none')}</span> },
    { title: t('referral.fields.dueDate'), key: 'due', width: 200, render: (_, r) => <FollowUpDue discharge={r.discharge} today={todayIso()} /> },
    { title: t('referral.fields.continueLines'), key: 'lines', render: (_, r) => r.discharge?.continueLines.map((l) => l.drugName).join('、') || t('common.none') },
    { title: t('referral.fields.state'), dataIndex: 'status', width: 90, render: (s: string, r) => <ReferralStateTag state={s} direction={r.direction} /> },
    { title: t('referral.fields.requestedAt'), dataIndex: 'requestedAt', width: 140, render: (d: string) => <span className="mono">{formatDateTime(d)}</span> },
  ];

  return (
    <div className="page-stack" data-testid="incoming-referrals-page">
      <Card
        size="small"
        activeTabKey={tab}
        onTabChange={(k) => update({ tab: k === 'in' ? null : k })}
        tabBarExtraContent={
          <Space size={8}>
            <Button type="primary" icon={<RollbackOutlined />} onClick={() => referDown(null)} data-testid="referral-new-down">
              {t('referral.actions.newDown')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching} aria-label={t('referral.actions.refresh')} />
          </Space>
        }
        tabList={[
          { key: 'in', label: <span data-testid="referrals-tab-in">{t('referral.tabs.in')}{waiting ? ` · ${waiting}` : ''}</span> },
          { key: 'down', label: <span data-testid="referrals-tab-down">{t('referral.tabs.downOut')}</span> },
        ]}
      >
        <Typography.Paragraph type="secondary" className="section-hint">
          {t(tab === 'in' ? 'referral.list.inHint' : 'referral.list.downOutHint')}
        </Typography.Paragraph>
        {list.isError ? <Alert type="error" showIcon title={errorLines(list.error).join('；')} /> : null}
        <Table<ReferralItem>
          size="small"
          rowKey="id"
          columns={tab === 'in' ? inColumns : downColumns}
          dataSource={list.data?.items ?? []}
          loading={list.isPending}
          pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
          rowClassName={(r) => `row-clickable${r.urgency === 'urgent' && r.status === 'requested' ? ' ref-row--urgent' : ''}${r.discharge?.overdue ? ' ref-row--overdue' : ''}`}
          onRow={(r) => ({ onClick: () => detail.open(r.id), 'data-testid': 'referral-row', 'data-id': r.id, 'data-status': r.status, 'data-urgency': r.urgency }) as React.HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(tab === 'in' ? 'referral.list.emptyIn' : 'referral.list.emptyDownOut')} /> }}
          data-testid={`referrals-${tab}`}
        />
      </Card>
      <ReferralDetailDrawer id={detail.value} role="specialist" onClose={() => detail.close()} onReferDown={referDown} />
      <DownReferralDrawer key={`down-${openings}`} open={downForm.value !== null} from={downForm.value?.from ?? null} onClose={() => downForm.close()} />
    </div>
  );
}
