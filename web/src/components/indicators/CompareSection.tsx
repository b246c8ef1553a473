// The units below a scope side by side: a bar per unit for the chosen rate (coloured met / not met against
// its target, a dashed target or reference line), and a table of every rate with its counts, the fund
// spending and the scope's own total; clicking a row (or a bar) goes down to that unit. The table downloads
// as CSV in the order shown.
import { DownloadOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Select, Table, type TableColumnsType, Typography } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { type HTMLAttributes, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorScope, ScopeLevel } from '../../pages/indicators/types.ts';
import { downloadCsv, safeFileName } from './csv.ts';
import { CHARTED, type RateDef, type RateKey, STATUS_COLOR, count, countsText, rateDef, rateText, rateValue, ratesFor, statusOf, yuanText } from './rates.ts';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** The table's rate columns: the seven every level has, the drug stock for counties. */
const TABLE_RATES: readonly RateKey[] = ['contracting', 'registered', 'sm_ht', 'sm_dm', 'control_ht', 'control_dm', 'grassroots', 'drug_stock'];

type Sort = { key: string; order: 'ascend' | 'descend' } | null;

interface Props {
  scope: IndicatorScope;
  units: IndicatorScope[];
  /** For file names: the period as shown ("2026年第3季度"). */
  periodLabel: string;
  onOpen: (code: string) => void;
  /** Drawn to the left of the chart, on the same row (the trend). */
  beside?: ReactNode;
}

function RateCell({ scope, def }: { scope: IndicatorScope; def: RateDef }) {
  const r = def.get(scope.indicators);
  const status = statusOf(r, def.goal);
  return (
    <div className="ind-cell" data-key={def.key} data-status={status}>
      <span style={{ color: status === 'met' || status === 'not_met' ? STATUS_COLOR[status] : undefined }} className="ind-cell__rate">
        {rateText(r, def.perMille)}
      </span>
      {r && r.denominator > 0 ? <div className="cell-sub">{countsText(r)}</div> : null}
    </div>
  );
}

export default function CompareSection({ scope, units, periodLabel, onOpen, beside }: Props) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<RateKey>('contracting');
  const [sort, setSort] = useState<Sort>(null);
  const level = units[0]?.level ?? ('team' as ScopeLevel);
  const rates = TABLE_RATES.map(rateDef).filter((d) => ratesFor(level).includes(d));
  const chartable = CHARTED.filter((k) => rates.some((d) => d.key === k));
  const def = rateDef(chartable.includes(metric) ? metric : 'contracting');

  const sortValue = (s: IndicatorScope, key: string): number | string => {
    if (key === 'name') return s.name;
    if (key === 'fund') return s.indicators.fund_spending.amount_fen;
    return rateValue(rateDef(key as RateKey).get(s.indicators)) ?? -1;
  };
  const rows = sort
    ? [...units].sort((a, b) => {
        const x = sortValue(a, sort.key);
        const y = sortValue(b, sort.key);
        const c = typeof x === 'string' ? x.localeCompare(String(y), 'zh-CN') : x - (y as number);
        return sort.order === 'ascend' ? c : -c;
      })
    : units;

  const sorter = (key: string) => ({ sorter: true, sortOrder: sort?.key === key ? sort.order : null });
  const columns: TableColumnsType<IndicatorScope> = [
    {
      key: 'name',
      title: t('indicators.compare.name'),
      ...sorter('name'),
      render: (_, s) => (
        <span className="ind-unit-name">
          {s.name}
          <RightOutlined className="ind-unit-name__go" />
        </span>
      ),
    },
    ...rates.map((d) => ({
      key: d.key,
      title: t(`indicators.short.${d.key}`),
      align: 'right' as const,
      ...sorter(d.key),
      render: (_: unknown, s: IndicatorScope) => <RateCell scope={s} def={d} />,
    })),
    {
      key: 'fund',
      title: t('indicators.compare.fund'),
      align: 'right',
      ...sorter('fund'),
      render: (_, s) => (
        <div>
          {yuanText(s.indicators.fund_spending.amount_fen)}
          <div className="cell-sub">{t('indicators.fund.people', { n: count(s.indicators.fund_spending.patients) })}</div>
        </div>
      ),
    },
  ];

  const exportCsv = () => {
    const header = [
      t('indicators.compare.name'),
      ...rates.flatMap((d) => [t('indicators.csv.rate', { name: t(`indicators.short.${d.key}`) }), t('indicators.csv.numerator', { name: t(`indicators.short.${d.key}`) }), t('indicators.csv.denominator', { name: t(`indicators.short.${d.key}`) })]),
      t('indicators.compare.fund'),
      t('indicators.fund.patients'),
    ];
    const line = (s: IndicatorScope, name: string) => [
      name,
      ...rates.flatMap((d) => {
        const r = d.get(s.indicators);
        const v = rateValue(r, d.perMille);
        return r ? [v === null ? '' : v.toFixed(1), r.numerator, r.denominator] : ['', '', ''];
      }),
      yuanText(s.indicators.fund_spending.amount_fen).replaceAll(',', ''),
      s.indicators.fund_spending.patients,
    ];
    downloadCsv(safeFileName(`${scope.name}-${periodLabel}-${t(`indicators.levels.${level}`)}.csv`), header, [...rows.map((s) => line(s, s.name)), line(scope, t('indicators.compare.total', { name: scope.name }))]);
  };

  const goal = def.goal;
  const option = {
    animation: false,
    grid: { left: 8, right: 48, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis' as const,
      axisPointer: { type: 'shadow' as const },
      formatter: (items: Array<{ dataIndex: number }>) => {
        const s = units[items[0]?.dataIndex ?? 0];
        const r = s ? def.get(s.indicators) : undefined;
        return s ? `${s.name}<br/>${t(`indicators.names.${def.key}`)}：${r && r.denominator ? `${rateText(r)} ${countsText(r)}` : '—'}` : '';
      },
    },
    xAxis: { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category' as const, inverse: true, data: units.map((s) => s.name), axisLabel: { fontSize: 12, width: 150, overflow: 'truncate' as const } },
    series: [
      {
        type: 'bar' as const,
        barMaxWidth: 18,
        data: units.map((s) => {
          const r = def.get(s.indicators);
          return { value: rateValue(r), itemStyle: { color: STATUS_COLOR[statusOf(r, goal)] } };
        }),
        label: { show: true, position: 'right' as const, fontSize: 11, formatter: (p: { value: number | null }) => (p.value === null || p.value === undefined ? '—' : `${p.value.toFixed(1)}%`) },
        ...(goal.kind !== 'none'
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color: goal.kind === 'target' ? '#595959' : '#0e7c86' },
                label: { position: 'start' as const, formatter: goal.kind === 'target' ? t('indicators.trend.targetLine', { value: goal.value }) : t('indicators.referenceShort', { value: goal.value }), fontSize: 11 },
                data: [{ xAxis: goal.value }],
              },
            }
          : {}),
      },
    ],
  };
  const chartHeight = Math.max(300, units.length * 28 + 24);

  if (!units.length) {
    return (
      <div className="ind-two">
        {beside}
        <Card size="small" className="ind-panel ind-panel--leaf" data-testid="ind-compare-empty">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={scope.level === 'team' ? t('indicators.compare.teamLeaf') : t('indicators.compare.empty')} />
        </Card>
      </div>
    );
  }

  const title = t(`indicators.compare.title.${scope.level as 'city' | 'county' | 'institution'}`);
  return (
    <>
      <div className="ind-two">
      {beside}
      <Card
        size="small"
        className="ind-panel"
        title={title}
        extra={
          <Select
            size="small"
            value={def.key}
            onChange={(v) => setMetric(v)}
            options={chartable.map((k) => ({ value: k, label: t(`indicators.names.${k}`) }))}
            className="ind-metric"
            aria-label={t('indicators.compare.metric')}
            data-testid="compare-metric"
          />
        }
        data-testid="ind-compare-chart"
      >
        <ReactEChartsCore
          echarts={echarts}
          option={option}
          notMerge
          style={{ height: Math.min(chartHeight, 560) }}
          opts={{ renderer: 'canvas' }}
          onEvents={{ click: (p: { dataIndex: number }) => units[p.dataIndex] && onOpen(units[p.dataIndex].code) }}
        />
        <Typography.Text type="secondary" className="ind-hint">
          <span className="ind-legend ind-legend--met" /> {t('indicators.met')} <span className="ind-legend ind-legend--not_met" /> {t('indicators.notMet')}
          {goal.kind === 'reference' ? <> · {t('indicators.reference', { value: goal.value })}</> : null}
          {goal.kind === 'none' ? <> · {t('indicators.noTarget')}</> : null}
        </Typography.Text>
      </Card>
      </div>
      <Card
        size="small"
        className="ind-panel ind-panel--table"
        title={title}
        extra={
          <Button size="small" icon={<DownloadOutlined />} onClick={exportCsv} data-testid="compare-csv">
            {t('indicators.csv.button')}
          </Button>
        }
        data-testid="ind-compare"
      >
        <Table<IndicatorScope>
          size="small"
          rowKey="code"
          columns={columns}
          dataSource={rows}
          pagination={rows.length > 50 ? { pageSize: 50, size: 'small', showSizeChanger: false } : false}
          showSorterTooltip={false}
          onChange={(_p, _f, s) => {
            const one = Array.isArray(s) ? s[0] : s;
            setSort(one?.order ? { key: String(one.columnKey), order: one.order } : null);
          }}
          rowClassName="ind-row--drill"
          onRow={(s) =>
            ({
              onClick: () => onOpen(s.code),
              'data-testid': 'compare-row',
              'data-code': s.code,
              'data-level': s.level,
              title: t('indicators.compare.drill'),
            }) as HTMLAttributes<HTMLElement>
          }
          summary={() => (
            <Table.Summary fixed={false}>
              <Table.Summary.Row className="ind-total" data-testid="compare-total">
                <Table.Summary.Cell index={0}>
                  <Typography.Text strong>{t('indicators.compare.total', { name: scope.name })}</Typography.Text>
                </Table.Summary.Cell>
                {rates.map((d, i) => (
                  <Table.Summary.Cell key={d.key} index={i + 1} align="right">
                    <RateCell scope={scope} def={d} />
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={rates.length + 1} align="right">
                  {yuanText(scope.indicators.fund_spending.amount_fen)}
                  <div className="cell-sub">{t('indicators.fund.people', { n: count(scope.indicators.fund_spending.patients) })}</div>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )}
        />
        <Typography.Text type="secondary" className="ind-hint">
          {t('indicators.compare.hint')}
        </Typography.Text>
      </Card>
    </>
  );
}
