// A medical community's budget: what it was computed from (last year's basis, the growth, the long
// prescriptions' days, Luohu's growth and reward, each with its source), the months (a row picks the month
// for the claims) and the claims at the community's institutions — all of them or the long prescriptions —
// or the smart audit's recoveries taken off its spending.
import { Card, Descriptions, Drawer, Segmented, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BudgetResult, PaymentReport } from '../../pages/payments/types.ts';
import { useProjectionText } from './BudgetTab.tsx';
import ClaimsTable from './ClaimsTable.tsx';
import RecoveriesTable from './RecoveriesTable.tsx';
import { bpText, count, money } from './format.ts';
import { Amount, Signed, SourceTip, useMonthLabel, useNetOfRecovered } from './parts.tsx';

type Month = BudgetResult['months'][number];
type Pool = 'all' | 'long_rx' | 'recovered';

interface Props {
  report: PaymentReport;
  community: BudgetResult;
  periodLabel: string;
  onClose: () => void;
}

export default function BudgetDrawer({ report, community: b, periodLabel, onClose }: Props) {
  const { t } = useTranslation();
  const [pool, setPool] = useState<Pool>('all');
  const [month, setMonth] = useState<string | null>(null);
  const p = report.parameters.budget;
  const projection = useProjectionText();
  const netOf = useNetOfRecovered();
  const monthLabel = useMonthLabel();

  const columns: TableColumnsType<Month> = [
    { key: 'month', title: t('payments.budget.drawer.month'), render: (_, m) => <span className="pay-link">{monthLabel(m.month)}</span> },
    { key: 'within', title: t('payments.budget.drawer.within'), align: 'right', render: (_, m) => <span className="pay-num">{money(m.within_fen)}</span> },
    { key: 'longRx', title: t('payments.budget.drawer.longRx'), align: 'right', render: (_, m) => <span className="pay-num">{money(m.long_rx_fen)}</span> },
    { key: 'recovered', title: t('payments.budget.drawer.recovered'), align: 'right', render: (_, m) => <span className="pay-num">{m.recovered_fen ? `−${money(m.recovered_fen)}` : money(0)}</span> },
    { key: 'cumulative', title: t('payments.budget.drawer.cumulative'), align: 'right', render: (_, m) => <span className="pay-num">{money(m.cumulative_fen)}</span> },
    {
      key: 'proRata',
      title: t('payments.budget.drawer.proRata'),
      align: 'right',
      render: (_, m) => (b.budget_fen > 0 ? <span className={`pay-num${m.cumulative_fen > m.budget_pro_rata_fen ? ' pay-negative' : ''}`}>{money(m.budget_pro_rata_fen)}</span> : <span className="cell-sub">{t('payments.budget.noBasis')}</span>),
    },
  ];
  const poolSwitch = (
    <Segmented<Pool>
      size="small"
      value={pool}
      onChange={setPool}
      options={(['all', 'long_rx', 'recovered'] as const).map((v) => ({ value: v, label: <span data-testid={`budget-pool-${v}`}>{t(`payments.budget.drawer.pool.${v}`)}</span> }))}
    />
  );

  return (
    <Drawer
      open
      onClose={onClose}
      size={1040}
      destroyOnHidden
      title={
        <div>
          {b.name}
          <div className="cell-sub">{t('payments.budget.drawer.sub', { period: periodLabel })}</div>
        </div>
      }
      data-testid="budget-drawer"
    >
      <div className="pay-stack">
        <Card size="small" title={t('payments.budget.drawer.inputs')} className="pay-panel">
          <Descriptions size="small" column={3} bordered className="pay-inputs" data-testid="budget-inputs">
            <Descriptions.Item label={t('payments.budget.drawer.basis')}>{b.basis_fen > 0 ? t('payments.yuanValue', { value: money(b.basis_fen) }) : t('payments.budget.noBasis')}</Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.drawer.growth')}>
              {bpText(p.growth.bp)} <SourceTip source={p.growth} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.columns.budget')}>{b.budget_fen > 0 ? t('payments.yuanValue', { value: money(b.budget_fen) }) : t('payments.budget.noBasis')}</Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.columns.spent')}>
              <Amount fen={b.spent_fen} sub={netOf(b.recovered_fen)} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.drawer.longDays')}>
              {t('payments.budget.drawer.longDaysValue', { days: p.long_prescription_days.days })} <SourceTip source={p.long_prescription_days} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.columns.longRx')}>{money(b.long_rx_allowance_fen)}</Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.drawer.projection')}>
              {money(b.projected_fen)}
              <div className="cell-sub">{projection(b)}</div>
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.columns.balance')}>{b.budget_fen > 0 ? <Signed fen={b.projected_balance_fen} /> : t('payments.budget.noBudget')}</Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.drawer.luohuGrowth')}>
              {bpText(p.luohu.allowed_growth.bp)} <SourceTip source={p.luohu.allowed_growth} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.drawer.luohuPaid')}>
              {bpText(p.luohu.saving_paid.bp)} <SourceTip source={p.luohu.saving_paid} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.budget.columns.paid')}>
              {money(b.luohu.paid_fen)}
              <div className="cell-sub">
                {b.luohu.last_year_fen > 0
                  ? `${t('payments.budget.columns.contracted')} ${count(b.luohu.contracted)} · ${t('payments.budget.columns.allowed')} ${money(b.luohu.allowed_fen)} − ${t('payments.budget.columns.thisYear')} ${money(b.luohu.this_year_fen)}`
                  : t('payments.budget.noLastYear')}
              </div>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card size="small" title={t('payments.budget.drawer.months')} className="pay-panel">
          <Typography.Text type="secondary" className="pay-hint pay-hint--top">
            {t('payments.budget.drawer.monthsHint')}
          </Typography.Text>
          <Table<Month>
            size="small"
            rowKey="month"
            columns={columns}
            dataSource={b.months}
            pagination={false}
            rowClassName={(m) => (m.month === month ? 'pay-row row-selected' : 'pay-row')}
            onRow={(m) => ({ onClick: () => setMonth(m.month === month ? null : m.month), 'data-testid': 'budget-month-row' }) as HTMLAttributes<HTMLElement>}
          />
        </Card>
        <Card size="small" title={t('payments.budget.drawer.claims')} className="pay-panel">
          {pool === 'recovered' ? (
            <RecoveriesTable year={report.period.year} quarter={report.period.quarter} model="budget" code={b.community_id} poolSwitch={poolSwitch} />
          ) : (
            <ClaimsTable
              year={report.period.year}
              quarter={report.period.quarter}
              model="budget"
              code={b.community_id}
              pool={pool === 'long_rx' ? 'long_rx' : null}
              months={b.months.map((m) => m.month)}
              month={month}
              onMonth={setMonth}
              poolSwitch={poolSwitch}
            />
          )}
        </Card>
      </div>
    </Drawer>
  );
}
