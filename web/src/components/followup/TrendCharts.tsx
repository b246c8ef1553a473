// BP (systolic and diastolic) and fasting-glucose trends with the patient's targets drawn as dashed
// lines (ECharts markLine), for the doctor's chart and the patient's own page. Only the parts of
// ECharts that are drawn here are bundled.
import { Empty } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import type { Series, Targets } from './types.ts';
import { fromTenths, tenthsText } from './units.ts';

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const SYSTOLIC = '#d4380d';
const DIASTOLIC = '#0e7c86';
const GLUCOSE = '#722ed1';
const HBA1C = '#d48806';

function targetLine(value: number, label: string, color: string) {
  return {
    silent: true,
    symbol: 'none',
    lineStyle: { type: 'dashed' as const, color, width: 1.5 },
    label: { formatter: label, position: 'insideEndTop' as const, color, fontSize: 11 },
    data: [{ yAxis: value }],
  };
}

const baseOption = {
  animation: false,
  grid: { left: 44, right: 24, top: 36, bottom: 28 },
  tooltip: { trigger: 'axis' as const },
  legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
  // a time axis, so that the gaps between visits are drawn as they were
  xAxis: { type: 'time' as const, axisLabel: { fontSize: 11, hideOverlap: true, formatter: '{yyyy}-{MM}-{dd}' } },
};

export function BpTrendChart({ series, targets, height = 260 }: { series: Series['bp']; targets: Targets; height?: number }) {
  const { t } = useTranslation();
  if (series.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.chart.noBp')} className="fu-chart-empty" />;
  const values = series.flatMap((p) => [p.systolic, p.diastolic]);
  const option = {
    ...baseOption,
    yAxis: {
      type: 'value' as const,
      name: 'mmHg',
      nameTextStyle: { fontSize: 11 },
      min: Math.max(0, Math.floor(Math.min(...values, targets.bp.diastolicBelow) / 10) * 10 - 10),
      max: Math.ceil(Math.max(...values, targets.bp.systolicBelow) / 10) * 10 + 10,
    },
    series: [
      {
        name: t('followup.fields.systolic'),
        type: 'line' as const,
        data: series.map((p) => [p.date, p.systolic]),
        color: SYSTOLIC,
        symbolSize: 7,
        markLine: targetLine(targets.bp.systolicBelow, t('followup.chart.target', { value: targets.bp.systolicBelow }), SYSTOLIC),
      },
      {
        name: t('followup.fields.diastolic'),
        type: 'line' as const,
        data: series.map((p) => [p.date, p.diastolic]),
        color: DIASTOLIC,
        symbolSize: 7,
        markLine: targetLine(targets.bp.diastolicBelow, t('followup.chart.target', { value: targets.bp.diastolicBelow }), DIASTOLIC),
      },
    ],
  };
  return (
    <div className="fu-chart" data-testid="bp-chart" data-points={series.length}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}

export function GlucoseTrendChart({ series, targets, height = 260 }: { series: Series['glucose']; targets: Targets; height?: number }) {
  const { t } = useTranslation();
  if (series.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('followup.chart.noGlucose')} className="fu-chart-empty" />;
  const target = fromTenths(targets.fastingGlucoseTenthsBelow)!;
  const glucose = series.filter((p) => p.fastingGlucoseTenths !== null).map((p) => [p.date, fromTenths(p.fastingGlucoseTenths)!] as const);
  const hba1c = series.filter((p) => p.hba1cTenths !== null).map((p) => [p.date, fromTenths(p.hba1cTenths)!] as const);
  const values = [...glucose, ...hba1c].map(([, v]) => v);
  const option = {
    ...baseOption,
    yAxis: {
      type: 'value' as const,
      name: 'mmol/L · %',
      nameTextStyle: { fontSize: 11 },
      min: Math.max(0, Math.floor(Math.min(...values, target) - 1)),
      max: Math.ceil(Math.max(...values, target) + 1),
    },
    series: [
      {
        name: t('followup.fields.fastingGlucose'),
        type: 'line' as const,
        data: glucose,
        color: GLUCOSE,
        symbolSize: 7,
        markLine: targetLine(target, t('followup.chart.target', { value: tenthsText(targets.fastingGlucoseTenthsBelow) }), GLUCOSE),
      },
      ...(hba1c.length
        ? [
            {
              name: t('followup.fields.hba1c'),
              type: 'line' as const,
              data: hba1c,
              color: HBA1C,
              symbolSize: 6,
              lineStyle: { type: 'dotted' as const },
            },
          ]
        : []),
    ],
  };
  return (
    <div className="fu-chart" data-testid="glucose-chart" data-points={series.length}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height }} opts={{ renderer: 'canvas' }} />
    </div>
  );
}
