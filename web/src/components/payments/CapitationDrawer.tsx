// A township's capitation: month by month the package drawn (cumulative) against the package spread evenly
// over the months, and the referral pool's monthly payments; what the figures were computed from (the
// insured, the per-head amount, the shares, each with its source); the claims behind them by pool and month
// (a month's bar or point picks the month), or the smart audit's recoveries given back to them.
import { Card, Descriptions, Drawer, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CapitationResult, PaymentReport } from '../../pages/payments/types.ts';
import { CHART_FRAME, COLORS, ReactEChartsCore, axisYuan, echarts, yuanValue } from './charts.ts';
import ClaimsTable from './ClaimsTable.tsx';
import RecoveriesTable from './RecoveriesTable.tsx';
import { bpText, count, money, rateText } from './format.ts';
import { Signed, SourceTip, useMonthLabel } from './parts.tsx';

interface Props {
  report: PaymentReport;
  town: CapitationResult;
  periodLabel: string;
  onClose: () => void;
}

export default function CapitationDrawer({ report, town, periodLabel, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [pool, setPool] = useState<'package' | 'referral' | 'recovered'>('package');
  const [month, setMonth] = useState<string | null>(null);
  const p = report.parameters.capitation;
  const months = town.months.map((m) => m.month);
  const y = town.year_end;
  const monthLabel = useMonthLabel();

  const option = {
    ...CHART_FRAME,
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const m = town.months[items[0]?.dataIndex ?? 0];
        if (!m) return '';
        return [
          `${m.month}`,
          t('payments.labelValue', { label: t('payments.capitation.drawer.packageMonthly'), value: money(m.package_fen) }),
          t('payments.labelValue', { label: t('payments.capitation.drawer.cumulative'), value: money(m.package_cumulative_fen) }),
          t('payments.labelValue', { label: t('payments.capitation.drawer.proRata'), value: money(m.package_pro_rata_fen) }),
          t('payments.labelValue', { label: t('payments.capitation.drawer.referralMonthly'), value: money(m.referral_fen) }),
          ...(m.package_recovered_fen ? [t('payments.labelValue', { label: t('payments.capitation.drawer.packageRecovered'), value: `−${money(m.package_recovered_fen)}` })] : []),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category' as const, data: months.map(monthLabel) },
    yAxis: [
      { type: 'value' as const, axisLabel: { formatter: axisYuan(i18n.language) } },
      { type: 'value' as const, splitLine: { show: false }, axisLabel: { formatter: axisYuan(i18n.language) } },
    ],
    series: [
      { name: t('payments.capitation.drawer.cumulative'), type: 'line' as const, color: COLORS.teal, symbolSize: 7, data: town.months.map((m) => yuanValue(m.package_cumulative_fen)) },
      { name: t('payments.capitation.drawer.proRata'), type: 'line' as const, color: COLORS.grey, symbol: 'none', lineStyle: { type: 'dashed' as const }, data: town.months.map((m) => yuanValue(m.package_pro_rata_fen)) },
      { name: t('payments.capitation.drawer.referralMonthly'), type: 'bar' as const, yAxisIndex: 1, color: COLORS.blue, barMaxWidth: 18, itemStyle: { opacity: 0.55 }, data: town.months.map((m) => yuanValue(m.referral_fen)) },
    ],
  };

  const poolSwitch = (
    <Segmented<'package' | 'referral' | 'recovered'>
      size="small"
      value={pool}
      onChange={setPool}
      options={(['package', 'referral', 'recovered'] as const).map((v) => ({ value: v, label: <span data-testid={`cap-pool-${v}`}>{t(`payments.capitation.drawer.pool.${v}`)}</span> }))}
    />
  );
  const types = p.insurance_types.types.map((x) => t(`person.insurance.${x}`, { defaultValue: x })).join(t('payments.listSeparator'));
  return (
    <Drawer
      open
      onClose={onClose}
      size={1040}
      destroyOnHidden
      title={
        <div>
          {t('payments.capitation.drawer.title', { town: town.town_name, institution: town.institution_name })}
          <div className="cell-sub">{t('payments.capitation.drawer.sub', { period: periodLabel })}</div>
        </div>
      }
      data-testid="cap-drawer"
    >
      <div className="pay-stack">
        <Card size="small" title={t('payments.capitation.drawer.trend')} className="pay-panel">
          <ReactEChartsCore
            echarts={echarts}
            option={option}
            notMerge
            style={{ height: 260 }}
            opts={{ renderer: 'canvas' }}
            onEvents={{ click: (e: { dataIndex: number }) => months[e.dataIndex] && setMonth(months[e.dataIndex]) }}
          />
          <Typography.Text type="secondary" className="pay-hint">
            {t('payments.capitation.drawer.trendHint')}
          </Typography.Text>
        </Card>
        <Card size="small" title={t('payments.capitation.drawer.inputs')} className="pay-panel">
          <Descriptions size="small" column={3} bordered className="pay-inputs" data-testid="cap-inputs">
            <Descriptions.Item label={t('payments.capitation.drawer.insured')}>
              {count(town.insured)} <SourceTip source={p.insurance_types} />
              <div className="cell-sub">{t('payments.capitation.drawer.insuredSource', { types })}</div>
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.perHead')}>
              {t('payments.yuanValue', { value: money(town.per_head_fen) })} <SourceTip source={p.per_head} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.fund')}>{t('payments.yuanValue', { value: money(town.fund_fen) })}</Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.packageShare')}>
              {bpText(p.package_share.bp)} → {money(town.package_fen)} <SourceTip source={p.package_share} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.referralShare')}>
              {bpText(p.referral_share.bp)} → {money(town.referral_pool_fen)} <SourceTip source={p.referral_share} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.columns.balance')}>
              <Signed fen={town.balance_fen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.recovered')}>
              {t('payments.capitation.drawer.recoveredValue', { package: money(town.package_recovered_fen), referral: money(town.referral_recovered_fen) })}
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.retained')}>
              {bpText(p.balance_retained.bp)} <SourceTip source={p.balance_retained} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.overrunCentre')}>
              {bpText(p.overrun_borne_by_centre.bp)} <SourceTip source={p.overrun_borne_by_centre} />
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.drawer.yearEndBasis')}>
              {y ? (y.basis === 'actual' ? t('payments.capitation.drawer.basisActual') : t('payments.capitation.drawer.basisProjected', { n: report.period.complete_months })) : t('payments.capitation.noYearEnd')}
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.columns.yearEnd')}>
              {y ? <Signed fen={y.balance_fen} /> : '—'}
              {y ? <div className="cell-sub">{t('payments.capitation.drawer.yearEndCost', { value: money(y.package_cost_fen) })}</div> : null}
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.columns.settle')}>
              {!y
                ? '—'
                : y.retained_fen > 0
                  ? t('payments.capitation.retainedShort', { value: money(y.retained_fen) })
                  : y.overrun_centre_fen + y.overrun_fund_fen > 0
                    ? t('payments.capitation.overrunSplit', { centre: money(y.overrun_centre_fen), fund: money(y.overrun_fund_fen) })
                    : t('payments.capitation.balanced')}
            </Descriptions.Item>
            <Descriptions.Item label={t('payments.capitation.columns.control')}>
              {rateText(town.control.hypertension)}
              {town.control.hypertension.denominator ? <span className="cell-sub"> {`(${count(town.control.hypertension.numerator)} / ${count(town.control.hypertension.denominator)})`}</span> : null}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        <Card size="small" title={t('payments.capitation.drawer.claims')} className="pay-panel">
          {pool === 'recovered' ? (
            <RecoveriesTable year={report.period.year} quarter={report.period.quarter} model="capitation" code={town.town_code} poolSwitch={poolSwitch} />
          ) : (
            <ClaimsTable year={report.period.year} quarter={report.period.quarter} model="capitation" code={town.town_code} pool={pool} months={months} month={month} onMonth={setMonth} poolSwitch={poolSwitch} />
          )}
        </Card>
      </div>
    </Drawer>
  );
}
