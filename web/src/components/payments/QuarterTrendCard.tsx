// The trend through the year of what is paid by the period's own months: each quarter begun is its own run
// (GET /api/payments/quarters). For the teams' tabs, the quarters' contract fees and work-equivalent purchase
// with the teams' mean score; for a team's drawer, its score and its fee quarter by quarter.
import { Alert, Card, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { QuarterTrend } from '../../pages/payments/types.ts';
import { useQuarters } from './api.ts';
import { CHART_FRAME, COLORS, ReactEChartsCore, axisYuan, echarts, yuanValue } from './charts.ts';
import { paymentErrorLines } from './errors.ts';
import { money, pointsText } from './format.ts';

interface Props {
  year: number;
  county: string | null;
  /** The quarter on screen, marked; null for the whole year. */
  quarter: number | null;
  /** A team's own trend (its drawer), else the tab's. */
  teamId?: string;
}

const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((s, x) => s + x, 0) / xs.length) : null);

function seriesOf(trend: QuarterTrend, teamId: string | undefined) {
  return trend.quarters.map((q) => {
    if (!teamId) return { quarter: q.quarter, fee: q.totals.contract_fee_fen, work: q.totals.work_equivalent_fen, score: mean(q.teams.map((t) => t.score)) };
    const team = q.teams.find((t) => t.team_id === teamId);
    return { quarter: q.quarter, fee: team?.fee_fen ?? 0, work: team?.value_fen ?? 0, score: team?.score ?? null };
  });
}

/** The quarter's last day; a run taken before it is of a quarter still running. */
const quarterEnd = (year: number, quarter: number) => new Date(Date.UTC(year, quarter * 3, 0)).toISOString().slice(0, 10);

export default function QuarterTrendCard({ year, county, quarter, teamId }: Props) {
  const { t, i18n } = useTranslation();
  const trend = useQuarters(year, county);
  const title = teamId ? t('payments.trend.teamTitle') : t('payments.trend.title');
  if (trend.isError) return <Alert type="error" showIcon title={paymentErrorLines(trend.error).join('；')} />;
  if (!trend.data) return <Card size="small" title={title} className="pay-panel"><Skeleton active paragraph={{ rows: 4 }} /></Card>;

  const points = seriesOf(trend.data, teamId);
  const label = (n: number) => t('payments.filters.quarterValue', { n });
  const scoreName = teamId ? t('payments.trend.score') : t('payments.trend.meanScore');
  const option = {
    ...CHART_FRAME,
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const p = points[items[0]?.dataIndex ?? 0];
        if (!p) return '';
        return [
          label(p.quarter),
          t('payments.labelValue', { label: t('payments.trend.fee'), value: money(p.fee) }),
          t('payments.labelValue', { label: t('payments.trend.work'), value: money(p.work) }),
          t('payments.labelValue', { label: scoreName, value: p.score === null ? '—' : pointsText(p.score) }),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'category' as const, data: points.map((p) => label(p.quarter)) },
    yAxis: [
      { type: 'value' as const, axisLabel: { formatter: axisYuan(i18n.language) } },
      { type: 'value' as const, min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { name: t('payments.trend.fee'), type: 'bar' as const, color: COLORS.teal, barMaxWidth: 28, data: points.map((p) => ({ value: yuanValue(p.fee), itemStyle: { opacity: quarter === null || p.quarter === quarter ? 1 : 0.45 } })) },
      { name: t('payments.trend.work'), type: 'bar' as const, color: COLORS.blue, barMaxWidth: 28, data: points.map((p) => ({ value: yuanValue(p.work), itemStyle: { opacity: quarter === null || p.quarter === quarter ? 0.8 : 0.35 } })) },
      { name: scoreName, type: 'line' as const, yAxisIndex: 1, color: COLORS.orange, symbolSize: 7, data: points.map((p) => (p.score === null ? null : p.score / 100)) },
    ],
  };
  return (
    <Card size="small" title={title} className="pay-panel" data-testid={teamId ? 'team-trend' : 'fee-trend'}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: teamId ? 220 : 240 }} opts={{ renderer: 'canvas' }} />
      <Typography.Text type="secondary" className="pay-hint">
        <span data-testid="trend-quarters" data-n={points.length}>
          {t('payments.trend.hint', {
            quarters: trend.data.quarters
              .map((q) => (q.run.as_of < quarterEnd(trend.data.year, q.quarter) ? t('payments.trend.running', { quarter: label(q.quarter), date: q.run.as_of }) : label(q.quarter)))
              .join(t('payments.listSeparator')),
          })}
        </span>
      </Typography.Text>
    </Card>
  );
}
