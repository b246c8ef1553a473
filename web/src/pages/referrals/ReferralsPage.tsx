// 双向转诊 (family doctor, /referrals): 转出 — the team's up-referrals with their state, appointment, the
// four priorities given and how long each waited; 下转待随访 — patients the hospitals discharged back to the
// team, the 2-week follow-up due date (overdue in red), 转为延伸处方 in one step and 登记随访 (the chart).
// A row opens the referral with its history; Back closes it. New up-referrals start from the patient's
// chart or a follow-up visit's referral advice.
import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { chartPath } from '../../components/followup/paths.ts';
import PrescriptionDetailDrawer from '../../components/prescription/PrescriptionDetailDrawer.tsx';
import { useReferrals } from '../../components/referral/api.ts';
import { FollowUpDue, PriorityFlags, ReferralStateTag, UrgencyTag, Waiting } from '../../components/referral/labels.tsx';
import ReferralActions from '../../components/referral/ReferralActions.tsx';
import ReferralDetailDrawer from '../../components/referral/ReferralDetailDrawer.tsx';
import type { ReferralItem } from '../../components/referral/types.ts';
import '../../components/referral/referral.css';
import { formatDateTime, todayIso } from '../../format.ts';
import { useOverlay } from '../../hooks/overlay.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { errorLines } from '../../notify.ts';

type Tab = 'out' | 'down';
const TABS: readonly Tab[] = ['out', 'down'];

const rowProps = (r: ReferralItem, open: (id: string) => void) =>
  ({
    onClick: () => open(r.id),
    'data-testid': 'referral-row',
    'data-id': r.id,
    'data-status': r.status,
    'data-overdue': String(!!r.discharge?.overdue),
  }) as React.HTMLAttributes<HTMLElement>;

function PatientCell({ r }: { r: ReferralItem }) {
  return (
    <div className="ref-cell-stack">
      <Link to={chartPath(r.person.id)} onClick={(e) => e.stopPropagation()} data-testid="referral-patient">
        {r.person.name}
      </Link>
      <Typography.Text type="secondary" className="mono">
        {r.person.idNumber}
      </Typography.Text>
    </div>
  );
}

export default function ReferralsPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'out';
  const out = useReferrals('out', tab === 'out');
  const down = useReferrals('down');
  const detail = useOverlay<string>('referral');
  const [prescription, setPrescription] = useState<string | null>(null);
  const today = todayIso();
  const list = tab === 'out' ? out : down;
  const openDown = (down.data?.items ?? []).filter((r) => r.discharge && !r.discharge.followedUp && r.status !== 'completed' && r.status !== 'declined' && r.status !== 'expired');
  const overdue = openDown.filter((r) => r.discharge!.overdue).length;

  const outColumns: TableColumnsType<ReferralItem> = [
    { title: t('referral.fields.patient'), key: 'patient', width: 190, render: (_, r) => <PatientCell r={r} /> },
    { title: t('referral.fields.urgency'), dataIndex: 'urgency', width: 80, render: (u: string) => <UrgencyTag urgency={u} /> },
    {
      title: t('referral.fields.to'),
      key: 'to',
      render: (_, r) => (
        <div className="ref-cell-stack">
          <span>{r.to.institution?.name ?? t('common.none')}</span>
          <Typography.Text type="secondary">{r.department ?? ''}</Typography.Text>
        </div>
      ),
    },
    { title: t('referral.fields.state'), dataIndex: 'status', width: 90, render: (s: string, r) => <ReferralStateTag state={s} direction={r.direction} /> },
    {
      title: t('referral.fields.appointment'),
      key: 'appointment',
      width: 200,
      render: (_, r) =>
        r.appointment ? (
          <div className="ref-cell-stack" data-testid="referral-appointment">
            <span className="mono">{r.appointment.date}</span>
            <PriorityFlags given={r.priorities} compact />
          </div>
        ) : (
          <Typography.Text type="secondary">{r.declineReason ?? t('common.none')}</Typography.Text>
        ),
    },
    { title: t('referral.fields.waiting'), key: 'waiting', width: 150, render: (_, r) => <Waiting item={r} /> },
    { title: t('referral.fields.requestedAt'), dataIndex: 'requestedAt', width: 140, render: (d: string) => <span className="mono">{formatDateTime(d)}</span> },
  ];

  const downColumns: TableColumnsType<ReferralItem> = [
    { title: t('referral.fields.patient'), key: 'patient', width: 190, render: (_, r) => <PatientCell r={r} /> },
    {
      title: t('referral.fields.from'),
      key: 'from',
      render: (_, r) => (
        <div className="ref-cell-stack">
          <span>{r.from.institution.name}</span>
          <Typography.Text type="secondary">{[r.department, r.from.by].filter(Boolean).join(' · ')}</Typography.Text>
        </div>
      ),
    },
    { title: t('referral.fields.dischargeDate'), key: 'discharge', width: 110, render: (_, r) => <span className="mono">{r.discharge?.date ?? t('common.none')}</span> },
    { title: t('referral.fields.dueDate'), key: 'due', width: 200, render: (_, r) => <FollowUpDue discharge={r.discharge} today={today} /> },
    {
      title: t('referral.fields.continueLines'),
      key: 'lines',
      render: (_, r) =>
        r.discharge?.continueLines.length ? (
          <div className="ref-cell-stack">
            <span>{r.discharge.continueLines.map((l) => l.drugName).join('、')}</span>
            {r.discharge.extendedPrescriptionId ? (
              <Typography.Link
                onClick={(e) => {
                  e.stopPropagation();
                  setPrescription(r.discharge!.extendedPrescriptionId);
                }}
                data-testid="referral-extended"
              >
                <Tag color="purple">{t('referral.fields.extended')}</Tag>
              </Typography.Link>
            ) : null}
          </div>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        ),
    },
    { title: t('referral.fields.state'), dataIndex: 'status', width: 90, render: (s: string, r) => <ReferralStateTag state={s} direction={r.direction} /> },
    { title: t('common.actions'), key: 'actions', width: 250, render: (_, r) => <ReferralActions r={r} role="family_doctor" onExtended={setPrescription} /> },
  ];

  const table = (columns: TableColumnsType<ReferralItem>, empty: string) => (
    <Table<ReferralItem>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={list.data?.items ?? []}
      loading={list.isPending}
      pagination={(list.data?.items.length ?? 0) > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
      rowClassName={(r) => `row-clickable${r.discharge?.overdue ? ' ref-row--overdue' : ''}`}
      onRow={(r) => rowProps(r, detail.open)}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      data-testid={`referrals-${tab}`}
    />
  );

  return (
    <div className="page-stack" data-testid="referrals-page">
      <Card
        size="small"
        activeTabKey={tab}
        onTabChange={(k) => update({ tab: k === 'out' ? null : k })}
        tabBarExtraContent={
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
            {t('referral.actions.refresh')}
          </Button>
        }
        tabList={[
          { key: 'out', label: <span data-testid="referrals-tab-out">{t('referral.tabs.out')}</span> },
          {
            key: 'down',
            label: (
              <Space size={4} data-testid="referrals-tab-down">
                {t('referral.tabs.down')}
                {openDown.length ? (
                  <Tag color={overdue ? 'red' : 'blue'} data-testid="referrals-down-count" data-overdue={overdue}>
                    {openDown.length}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
        ]}
      >
        <Typography.Paragraph type="secondary" className="section-hint">
          {t(tab === 'out' ? 'referral.list.outHint' : 'referral.list.downHint')}
        </Typography.Paragraph>
        {list.isError ? <Alert type="error" showIcon title={errorLines(list.error).join('；')} /> : null}
        {tab === 'out' ? table(outColumns, t('referral.list.emptyOut')) : table(downColumns, t('referral.list.emptyDown'))}
      </Card>
      <ReferralDetailDrawer id={detail.value} role="family_doctor" onClose={() => detail.close()} onExtended={setPrescription} />
      <PrescriptionDetailDrawer id={prescription} onClose={() => setPrescription(null)} />
    </div>
  );
}
