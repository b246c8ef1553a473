// The four quarters of a year for one scope (ECharts line chart): a line per rate, the targets as dashed
// lines, each point's tooltip with the counts; quarters not yet begun (or without the scope) are gaps.
// The same numbers download as CSV.
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Typography } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import type { IndicatorReport, Ratio } from '../../pages/indicators/types.ts';
import { downloadCsv, safeFileName } from './csv.ts';
import { CHARTED, TARGETS, type RateKey, countsText, rateDef, rateText, rateValue } from './rates.ts';

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<string, string> = {
  contracting: '#0e7c86',
  sm_ht: '#d4380d',
  sm_dm: '#722ed1',
  grassroots: '#1677ff',
  control_ht: '#fa8c16',
  control_dm: '#13a8a8',
  registered: '#8c8c8c',
  drug_stock: '#a0d911',
};

/** Drawn at first; the others are one click on the legend away. */
const SHOWN: readonly RateKey[] = ['contracting', 'sm_ht', 'sm_dm', 'grassroots', 'control_ht', 'control_dm'];

interface Props {
  year: number;
  /** The scope's code. */
  code: string;
  scopeName: string;
  /** Q1…Q4: the report, or undefined (not begun, not loaded). */
  reports: Array<IndicatorReport | undefined>;
  loading: boolean;
}

export default function TrendChart({ year, code, scopeName, reports, loading }: Props) {
  const { t } = useTranslation();
  const quarters = reports.map((_, i) => t('indicators.filters.quarterShort', { n: i + 1 }));
  const scopeAt = reports.map((r) => r?.scopes.find((s) => s.code === code));
  const keys = CHARTED.filter((k) => scopeAt.some((s) => s && rateDef(k).get(s.indicators)));
  const ratioAt = (k: RateKey, q: number): Ratio | undefined => {
    const s = scopeAt[q];
    return s ? rateDef(k).get(s.indicators) : undefined;
  };
  const any = scopeAt.some(Boolean);
  const name = (k: RateKey) => t(`indicators.short.${k}`);

  const targetLines = [...new Set([TARGETS.contracting, TARGETS.standardisedManagement])].map((v) => ({
    yAxis: v,
    label: { formatter: t('indicators.trend.targetLine', { value: v }), position: 'insideEndTop' as const, fontSize: 11, color: '#8c8c8c' },
  }));
  const option = {
    animation: false,
    grid: { left: 48, right: 24, top: 64, bottom: 28 },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 12 },
      selected: Object.fromEntries(keys.map((k) => [name(k), SHOWN.includes(k)])),
    },
    tooltip: {
      trigger: 'axis' as const,
      formatter: (items: Array<{ seriesName: string; dataIndex: number; marker: string; seriesId?: string }>) => {
        if (!items.length) return '';
        const q = items[0].dataIndex;
        const lines = items.map((it) => {
          const k = keys.find((key) => name(key) === it.seriesName)!;
          const r = ratioAt(k, q);
          return `${it.marker}${it.seriesName}：${r && r.denominator ? `${rateText(r)} ${countsText(r)}` : '—'}`;
        });
        return [`${year} ${quarters[q]}`, ...lines].join('<br/>');
      },
    },
    xAxis: { type: 'category' as const, data: quarters, boundaryGap: true },
    yAxis: { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: keys.map((k, i) => ({
      name: name(k),
      type: 'line' as const,
      data: quarters.map((_, q) => rateValue(ratioAt(k, q))),
      color: COLORS[k],
      symbolSize: 7,
      connectNulls: false,
      ...(i === 0 ? { markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed' as const, color: '#8c8c8c' }, data: targetLines } } : {}),
    })),
  };

  const exportCsv = () => {
    const header = [t('indicators.trend.quarter'), ...keys.flatMap((k) => [t('indicators.csv.rate', { name: name(k) }), t('indicators.csv.numerator', { name: name(k) }), t('indicators.csv.denominator', { name: name(k) })])];
    const rows = quarters.map((label, q) => [
      `${year} ${label}`,
      ...keys.flatMap((k) => {
        const r = ratioAt(k, q);
        const v = rateValue(r);
        return r ? [v === null ? '' : v.toFixed(1), r.numerator, r.denominator] : ['', '', ''];
      }),
    ]);
    downloadCsv(safeFileName(`${scopeName}-${year}-trend.csv`), header, rows);
  };

  return (
    <Card
      size="small"
      className="ind-panel"
      title={t('indicators.trend.title', { year })}
      extra={
        <Button size="small" icon={<DownloadOutlined />} onClick={exportCsv} disabled={!any} data-testid="trend-csv">
          {t('indicators.csv.button')}
        </Button>
      }
      loading={loading && !any}
      data-testid="ind-trend"
      data-quarters={scopeAt.filter(Boolean).length}
    >
      {any ? (
        <>
          <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} opts={{ renderer: 'canvas' }} />
          <Typography.Text type="secondary" className="ind-hint">
            {t('indicators.trend.hint')}
          </Typography.Text>
        </>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('indicators.trend.empty')} />
      )}
    </Card>
  );
}
