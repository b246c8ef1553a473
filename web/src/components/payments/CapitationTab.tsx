// 按人头打包付费（结余留用）: a row per pilot township — its insured, the package (per head × insured × the
// package share), what the package paid so far, the balance (red when overdrawn), the year's end (actual or
// projected from the complete months), what the centre keeps or bears, the referral pool and what it paid,
// and the township's hypertension control beside its balance. Above: the year-end balance by township with
// the control rate on a second axis. A row or a bar opens the township's drawer.
import { Card, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapitationResult, PaymentReport } from '../../pages/payments/types.ts';
import { CHART_FRAME, COLORS, ReactEChartsCore, axisYuan, echarts, yuanValue } from './charts.ts';
import { bpText, count, money, percentOf, rateText } from './format.ts';
import { Amount, Figures, HeadTip, Signed, useNetOfRecovered } from './parts.tsx';

interface Props {
  report: PaymentReport;
  onOpen: (townCode: string) => void;
  countyName: (code: string) => string;
}

export default function CapitationTab({ report, onOpen, countyName }: Props) {
  const { t, i18n } = useTranslation();
  const rows = report.results.capitation;
  const p = report.parameters.capitation;
  const netOf = useNetOfRecovered();
  const totals = report.results.totals;

  if (!rows.length) {
    return (
      <Card size="small" data-testid="pay-cap-empty">
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={
            // the counties' names when the page knows them (the analyst's), else how many
            p.counties.codes.every((c) => countyName(c) !== c)
              ? t('payments.capitation.empty', { counties: p.counties.codes.map(countyName).join(t('payments.listSeparator')) })
              : t('payments.capitation.emptyCount', { n: p.counties.codes.length })
          }
        />
      </Card>
    );
  }

  const sum = (f: (c: CapitationResult) => number) => rows.reduce((s, c) => s + f(c), 0);
  const packageTotal = sum((c) => c.package_fen);
  const spentTotal = sum((c) => c.package_cost_fen);
  const withYearEnd = rows.filter((c) => c.year_end);
  const yearEndTotal = withYearEnd.length ? sum((c) => c.year_end?.balance_fen ?? 0) : null;
  const basis = rows[0]?.year_end?.basis;

  const columns: TableColumnsType<CapitationResult> = [
    {
      key: 'town',
      title: t('payments.capitation.columns.town'),
      render: (_, c) => (
        <div>
          <span className="pay-link">{c.town_name}</span>
          <div className="cell-sub">{c.institution_name}</div>
        </div>
      ),
    },
    { key: 'insured', title: t('payments.capitation.columns.insured'), align: 'right', render: (_, c) => <span className="pay-num">{count(c.insured)}</span> },
    {
      key: 'package',
      title: t('payments.capitation.columns.package'),
      align: 'right',
      render: (_, c) => <Amount fen={c.package_fen} sub={t('payments.capitation.perHead', { insured: count(c.insured), perHead: money(c.per_head_fen), share: bpText(p.package_share.bp) })} />,
    },
    {
      key: 'spent',
      title: t('payments.capitation.columns.spent'),
      align: 'right',
      render: (_, c) => <Amount fen={c.package_cost_fen} sub={netOf(c.package_recovered_fen)} />,
    },
    { key: 'balance', title: t('payments.capitation.columns.balance'), align: 'right', render: (_, c) => <span className="pay-num"><Signed fen={c.balance_fen} testId="cap-balance" /></span> },
    {
      key: 'yearEnd',
      title: t('payments.capitation.columns.yearEnd'),
      align: 'right',
      render: (_, c) =>
        c.year_end ? (
          <div className="pay-num">
            <Signed fen={c.year_end.balance_fen} />
            <div className="cell-sub">
              <Tag className="pay-tag" color={c.year_end.basis === 'actual' ? 'green' : 'default'}>
                {t(c.year_end.basis === 'actual' ? 'payments.actual' : 'payments.projected')}
              </Tag>
            </div>
          </div>
        ) : (
          <span className="cell-sub">{t('payments.capitation.noYearEnd')}</span>
        ),
    },
    {
      key: 'control',
      title: t('payments.capitation.columns.control'),
      align: 'right',
      render: (_, c) => (
        <div className="pay-num">
          {rateText(c.control.hypertension)}
          {c.control.hypertension.denominator ? <div className="cell-sub">{`${count(c.control.hypertension.numerator)} / ${count(c.control.hypertension.denominator)}`}</div> : null}
        </div>
      ),
    },
    {
      key: 'settle',
      title: (
        <HeadTip
          title={t('payments.capitation.columns.settle')}
          tip={t('payments.capitation.hint', { package: bpText(p.package_share.bp), referral: bpText(p.referral_share.bp), retained: bpText(p.balance_retained.bp), centre: bpText(p.overrun_borne_by_centre.bp) })}
        />
      ),
      align: 'right',
      render: (_, c) => {
        const y = c.year_end;
        if (!y) return '—';
        if (y.retained_fen > 0) return <span className="pay-num pay-good">{t('payments.capitation.retainedShort', { value: money(y.retained_fen) })}</span>;
        if (y.overrun_centre_fen + y.overrun_fund_fen > 0)
          return <span className="pay-num pay-negative">{t('payments.capitation.overrunSplit', { centre: money(y.overrun_centre_fen), fund: money(y.overrun_fund_fen) })}</span>;
        return <span className="cell-sub">{t('payments.capitation.balanced')}</span>;
      },
    },
    { key: 'referralPool', title: t('payments.capitation.columns.referralPool'), align: 'right', render: (_, c) => <span className="pay-num">{money(c.referral_pool_fen)}</span> },
    { key: 'referralSpent', title: t('payments.capitation.columns.referralSpent'), align: 'right', render: (_, c) => <span className="pay-num">{money(c.referral_cost_fen)}</span> },
  ];

  const names = rows.map((c) => c.town_name);
  const option = {
    ...CHART_FRAME,
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'shadow' as const },
      formatter: (items: Array<{ dataIndex: number }>) => {
        const c = rows[items[0]?.dataIndex ?? 0];
        if (!c) return '';
        return [
          `${c.town_name} · ${c.institution_name}`,
          t('payments.labelValue', { label: t('payments.capitation.columns.yearEnd'), value: c.year_end ? t('payments.withNote', { value: money(c.year_end.balance_fen), note: t(c.year_end.basis === 'actual' ? 'payments.actual' : 'payments.projected') }) : '—' }),
          t('payments.labelValue', { label: t('payments.capitation.columns.balance'), value: money(c.balance_fen) }),
          t('payments.labelValue', { label: t('payments.capitation.columns.control'), value: rateText(c.control.hypertension) }),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category' as const, data: names, axisLabel: { fontSize: 12, interval: 0, rotate: names.length > 8 ? 30 : 0 } },
    yAxis: [
      { type: 'value' as const, axisLabel: { formatter: axisYuan(i18n.language) } },
      { type: 'value' as const, min: 0, max: 100, splitLine: { show: false }, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      {
        name: t('payments.capitation.chart.balance'),
        type: 'bar' as const,
        barMaxWidth: 28,
        color: COLORS.good,
        data: rows.map((c) => {
          const v = c.year_end?.balance_fen ?? null;
          return { value: yuanValue(v), itemStyle: { color: v !== null && v < 0 ? COLORS.bad : COLORS.good } };
        }),
      },
      {
        name: t('payments.capitation.chart.control'),
        type: 'line' as const,
        yAxisIndex: 1,
        color: COLORS.orange,
        symbolSize: 8,
        data: rows.map((c) => percentOf(c.control.hypertension)),
      },
    ],
  };

  return (
    <div className="pay-tab" data-testid="pay-capitation">
      <Figures
        testId="cap-totals"
        items={[
          { key: 'package', label: t('payments.capitation.totals.package'), value: money(packageTotal), sub: t('payments.capitation.totals.towns', { n: rows.length }) },
          {
            key: 'spent',
            label: t('payments.capitation.totals.packageSpent'),
            value: money(spentTotal),
            sub: (
              <>
                {t('payments.capitation.columns.balance')} <Signed fen={packageTotal - spentTotal} />
              </>
            ),
          },
          {
            key: 'yearEnd',
            label: t('payments.capitation.totals.yearEndBalance'),
            value: <Signed fen={yearEndTotal} />,
            sub: basis ? t(basis === 'actual' ? 'payments.actual' : 'payments.projected') : t('payments.capitation.noYearEnd'),
            tone: yearEndTotal !== null && yearEndTotal < 0 ? 'bad' : undefined,
          },
          { key: 'retained', label: t('payments.capitation.totals.retained'), value: money(totals.capitation_retained_fen), tone: 'good' },
          { key: 'overrun', label: t('payments.capitation.totals.overrunCentre'), value: money(totals.capitation_overrun_centre_fen), tone: totals.capitation_overrun_centre_fen > 0 ? 'bad' : undefined },
          { key: 'referral', label: t('payments.capitation.totals.referral'), value: money(sum((c) => c.referral_cost_fen)), sub: `/ ${money(sum((c) => c.referral_pool_fen))}` },
        ]}
      />
      <Card size="small" className="pay-panel" title={t('payments.capitation.chart.title')} data-testid="cap-chart">
        <ReactEChartsCore
          echarts={echarts}
          option={option}
          notMerge
          style={{ height: 280 }}
          opts={{ renderer: 'canvas' }}
          onEvents={{ click: (e: { dataIndex: number }) => rows[e.dataIndex] && onOpen(rows[e.dataIndex].town_code) }}
        />
        <Typography.Text type="secondary" className="pay-hint">
          {t('payments.capitation.chart.hint')}
        </Typography.Text>
      </Card>
      <Card size="small" className="pay-panel pay-panel--table" title={`${t('payments.tabs.capitation')} · ${t('payments.unitYuan')}`}>
        <Table<CapitationResult>
          size="small"
          rowKey="town_code"
          columns={columns}
          dataSource={rows}
          pagination={false}
          rowClassName="pay-row"
          onRow={(c) => ({ onClick: () => onOpen(c.town_code), 'data-testid': 'cap-row', 'data-code': c.town_code }) as HTMLAttributes<HTMLElement>}
        />
      </Card>
    </div>
  );
}
