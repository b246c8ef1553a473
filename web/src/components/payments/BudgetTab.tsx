// 医共体总额预算: a row per county medical community — the budget (last year's spending within it × (1 +
// growth)), what it paid within the budget so far, the long prescriptions paid outside it, the year's end
// projected at the run rate of the complete months (the method stated) and the projected balance; then
// Luohu's saving per community — the contracted insured, their cost this year and in the same days last
// year, the allowed cost, the saving or overrun and the reward. Above: the cumulative spending through the
// year against the budget spread evenly over the months, for all communities or the one chosen.
import { Card, Empty, Select, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BudgetResult, PaymentReport } from '../../pages/payments/types.ts';
import { CHART_FRAME, COLORS, ReactEChartsCore, axisYuan, echarts, yuanValue } from './charts.ts';
import { bpText, count, money } from './format.ts';
import { Amount, Figures, HeadTip, Signed, useMonthLabel, useNetOfRecovered } from './parts.tsx';

interface Props {
  report: PaymentReport;
  onOpen: (communityId: string) => void;
}

/** "已完成 5 个月支出 × 12 ÷ 5" or 全年实际, or that there is no complete month. */
export function useProjectionText() {
  const { t } = useTranslation();
  return (b: BudgetResult) =>
    b.projected_fen === null ? t('payments.budget.noProjection') : b.projection.method === 'actual' ? t('payments.budget.methodActual') : t('payments.budget.methodRunRate', { n: b.projection.complete_months });
}

export default function BudgetTab({ report, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const rows = report.results.budget;
  const p = report.parameters.budget;
  const totals = report.results.totals;
  const [chartOf, setChartOf] = useState<string>('all');
  const projection = useProjectionText();
  const netOf = useNetOfRecovered();
  const monthLabel = useMonthLabel();

  if (!rows.length) {
    return (
      <Card size="small" data-testid="pay-budget-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.budget.empty')} />
      </Card>
    );
  }

  const growth = bpText(p.growth.bp);
  const budgeted = rows.filter((b) => b.budget_fen > 0);
  const projectedBalance = budgeted.some((b) => b.projected_balance_fen !== null) ? budgeted.reduce((s, b) => s + (b.projected_balance_fen ?? 0), 0) : null;

  const budgetColumns: TableColumnsType<BudgetResult> = [
    { key: 'name', title: t('payments.budget.columns.community'), render: (_, b) => <span className="pay-link">{b.name}</span> },
    {
      key: 'budget',
      title: t('payments.budget.columns.budget'),
      align: 'right',
      render: (_, b) =>
        b.budget_fen > 0 ? (
          <div className="pay-num">
            {money(b.budget_fen)}
            <div className="cell-sub">{t('payments.budget.basis', { basis: money(b.basis_fen), growth })}</div>
          </div>
        ) : (
          <span className="cell-sub" data-testid="budget-no-basis">{t('payments.budget.noBasis')}</span>
        ),
    },
    {
      key: 'spent',
      title: t('payments.budget.columns.spent'),
      align: 'right',
      render: (_, b) => <Amount fen={b.spent_fen} sub={netOf(b.recovered_fen)} />,
    },
    {
      key: 'longRx',
      title: <HeadTip title={t('payments.budget.columns.longRx')} tip={t('payments.budget.drawer.longDaysValue', { days: p.long_prescription_days.days })} />,
      align: 'right',
      render: (_, b) => <span className="pay-num">{money(b.long_rx_allowance_fen)}</span>,
    },
    {
      key: 'projected',
      title: t('payments.budget.columns.projected'),
      align: 'right',
      render: (_, b) => <Amount fen={b.projected_fen} sub={projection(b)} />,
    },
    {
      key: 'balance',
      title: t('payments.budget.columns.balance'),
      align: 'right',
      render: (_, b) => (b.budget_fen > 0 ? <span className="pay-num"><Signed fen={b.projected_balance_fen} /></span> : <span className="cell-sub">{t('payments.budget.noBudget')}</span>),
    },
  ];

  const luohuGrowth = bpText(p.luohu.allowed_growth.bp);
  const luohuColumns: TableColumnsType<BudgetResult> = [
    { key: 'name', title: t('payments.budget.columns.community'), render: (_, b) => <span className="pay-link">{b.name}</span> },
    { key: 'contracted', title: t('payments.budget.columns.contracted'), align: 'right', render: (_, b) => <span className="pay-num">{count(b.luohu.contracted)}</span> },
    { key: 'thisYear', title: t('payments.budget.columns.thisYear'), align: 'right', render: (_, b) => <span className="pay-num">{money(b.luohu.this_year_fen)}</span> },
    { key: 'lastYear', title: t('payments.budget.columns.lastYear'), align: 'right', render: (_, b) => (b.luohu.last_year_fen > 0 ? <span className="pay-num">{money(b.luohu.last_year_fen)}</span> : <span className="cell-sub">{t('payments.budget.noLastYear')}</span>) },
    {
      key: 'allowed',
      title: t('payments.budget.columns.allowed'),
      align: 'right',
      render: (_, b) => (
        <div className="pay-num">
          {b.luohu.last_year_fen > 0 ? money(b.luohu.allowed_fen) : '—'}
          <div className="cell-sub">{t('payments.budget.allowedFormula', { growth: bpText(b.luohu.allowed_growth_bp) })}</div>
        </div>
      ),
    },
    {
      key: 'saving',
      title: t('payments.budget.columns.saving'),
      align: 'right',
      render: (_, b) =>
        b.luohu.last_year_fen > 0 ? (
          <div className="pay-num">
            <Signed fen={b.luohu.saving_fen} />
            <div className="cell-sub">{t(b.luohu.saving_fen >= 0 ? 'payments.budget.saving' : 'payments.budget.overrun')}</div>
          </div>
        ) : (
          '—'
        ),
    },
    { key: 'paid', title: t('payments.budget.columns.paid'), align: 'right', render: (_, b) => <span className={`pay-num${b.luohu.paid_fen > 0 ? ' pay-good' : ''}`}>{money(b.luohu.paid_fen)}</span> },
  ];

  // the chart: one community, or all of them added up
  const shown = chartOf === 'all' ? rows : rows.filter((b) => b.community_id === chartOf);
  const months = rows[0].months.map((m) => m.month);
  const at = (i: number, f: (m: BudgetResult['months'][number]) => number) => shown.reduce((s, b) => s + (b.months[i] ? f(b.months[i]) : 0), 0);
  const hasBudget = shown.some((b) => b.budget_fen > 0);
  const option = {
    ...CHART_FRAME,
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const i = items[0]?.dataIndex ?? 0;
        return [
          months[i],
          t('payments.labelValue', { label: t('payments.budget.chart.cumulative'), value: money(at(i, (m) => m.cumulative_fen)) }),
          hasBudget ? t('payments.labelValue', { label: t('payments.budget.chart.proRata'), value: money(at(i, (m) => m.budget_pro_rata_fen)) }) : t('payments.budget.noBasis'),
          t('payments.labelValue', { label: t('payments.budget.chart.longRx'), value: money(at(i, (m) => m.long_rx_fen)) }),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category' as const, data: months.map(monthLabel) },
    yAxis: { type: 'value' as const, axisLabel: { formatter: axisYuan(i18n.language) } },
    series: [
      { name: t('payments.budget.chart.cumulative'), type: 'line' as const, color: COLORS.teal, symbolSize: 7, data: months.map((_, i) => yuanValue(at(i, (m) => m.cumulative_fen))) },
      ...(hasBudget
        ? [{ name: t('payments.budget.chart.proRata'), type: 'line' as const, color: COLORS.grey, symbol: 'none', lineStyle: { type: 'dashed' as const }, data: months.map((_, i) => yuanValue(at(i, (m) => m.budget_pro_rata_fen))) }]
        : []),
      { name: t('payments.budget.chart.longRx'), type: 'bar' as const, color: COLORS.purple, barMaxWidth: 18, data: months.map((_, i) => yuanValue(at(i, (m) => m.long_rx_fen))) },
    ],
  };

  const onRow = (b: BudgetResult) => ({ onClick: () => onOpen(b.community_id), 'data-testid': 'budget-row', 'data-code': b.community_id }) as HTMLAttributes<HTMLElement>;
  return (
    <div className="pay-tab" data-testid="pay-budget">
      <Figures
        testId="budget-totals"
        items={[
          {
            key: 'budget',
            label: t('payments.budget.totals.budget'),
            value: totals.budget_fen > 0 ? money(totals.budget_fen) : '—',
            sub: totals.budget_fen > 0 ? t('payments.budget.totals.communities', { n: rows.length }) : t('payments.budget.noBasis'),
          },
          {
            key: 'spent',
            label: t('payments.budget.totals.spent'),
            value: money(totals.budget_spent_fen),
            sub: totals.budget_fen > 0 ? t('payments.budget.spentShare', { share: bpText(Math.round((totals.budget_spent_fen * 10000) / totals.budget_fen)) }) : t('payments.budget.noBasis'),
          },
          { key: 'longRx', label: t('payments.budget.totals.longRx'), value: money(totals.long_rx_allowance_fen) },
          {
            key: 'projectedBalance',
            label: t('payments.budget.totals.projectedBalance'),
            value: budgeted.length ? <Signed fen={projectedBalance} /> : '—',
            sub: budgeted.length ? projection(budgeted[0]) : t('payments.budget.noBasis'),
            tone: projectedBalance !== null && projectedBalance < 0 ? 'bad' : undefined,
          },
          { key: 'luohu', label: t('payments.budget.totals.luohu'), value: money(totals.luohu_paid_fen), tone: totals.luohu_paid_fen > 0 ? 'good' : undefined },
        ]}
      />
      <Card
        size="small"
        className="pay-panel"
        title={t('payments.budget.chart.title')}
        extra={
          rows.length > 1 ? (
            <Select<string>
              size="small"
              value={chartOf}
              onChange={setChartOf}
              options={[{ value: 'all', label: t('payments.budget.chart.all') }, ...rows.map((b) => ({ value: b.community_id, label: b.name }))]}
              className="pay-select"
              data-testid="budget-chart-of"
            />
          ) : null
        }
        data-testid="budget-chart"
      >
        <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 280 }} opts={{ renderer: 'canvas' }} />
        <Typography.Text type="secondary" className="pay-hint">
          {t('payments.budget.chart.hint')}
          {hasBudget ? null : <> · {t('payments.budget.chart.noBudgetLine')}</>}
        </Typography.Text>
      </Card>
      <Card size="small" className="pay-panel pay-panel--table" title={`${t('payments.budget.tableTitle')} · ${t('payments.unitYuan')}`}>
        <Typography.Text type="secondary" className="pay-hint pay-hint--top">
          {t('payments.budget.hint', { growth, days: p.long_prescription_days.days, luohu: luohuGrowth, paid: bpText(p.luohu.saving_paid.bp) })}
        </Typography.Text>
        <Table<BudgetResult> size="small" rowKey="community_id" columns={budgetColumns} dataSource={rows} pagination={false} rowClassName="pay-row" onRow={onRow} />
      </Card>
      <Card size="small" className="pay-panel pay-panel--table" title={`${t('payments.budget.luohuTitle')} · ${t('payments.unitYuan')}`}>
        <Typography.Text type="secondary" className="pay-hint pay-hint--top">
          {t('payments.budget.luohuHint')}
        </Typography.Text>
        <Table<BudgetResult> size="small" rowKey="community_id" columns={luohuColumns} dataSource={rows} pagination={false} rowClassName="pay-row" onRow={(b) => ({ ...onRow(b), 'data-testid': 'luohu-row' }) as HTMLAttributes<HTMLElement>} />
      </Card>
    </div>
  );
}
