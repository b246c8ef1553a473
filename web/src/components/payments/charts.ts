// ECharts for the payment screens, the parts they use registered once (tree-shaken as elsewhere).
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, MarkPointComponent, TooltipComponent, CanvasRenderer]);

export { echarts, ReactEChartsCore };

export const COLORS = {
  teal: '#0e7c86',
  good: '#389e0d',
  bad: '#cf1322',
  blue: '#1677ff',
  orange: '#fa8c16',
  grey: '#8c8c8c',
  purple: '#722ed1',
};

/** The frame every payment chart shares: no animation, the legend top left, room for the axis labels. */
export const CHART_FRAME = {
  animation: false,
  grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
  legend: { top: 0, left: 0, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 12 } },
};

/** Fen as yuan for an axis value (the labels format them). */
export const yuanValue = (fen: number | null | undefined): number | null => (fen === null || fen === undefined ? null : fen / 100);

/** An axis label: 12345678 yuan → "1,234.6万" in Chinese, "12.3M" in English. */
export function axisYuan(lang: string) {
  return (v: number) => {
    const a = Math.abs(v);
    if (lang === 'zh-CN') return a >= 10_000 ? `${(v / 10_000).toLocaleString('en-US', { maximumFractionDigits: 1 })}万` : v.toLocaleString('en-US');
    if (a >= 1_000_000) return `${(v / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 })}M`;
    if (a >= 1_000) return `${(v / 1_000).toLocaleString('en-US', { maximumFractionDigits: 1 })}k`;
    return v.toLocaleString('en-US');
  };
}
