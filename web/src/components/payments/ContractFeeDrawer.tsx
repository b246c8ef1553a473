// A team's contract fee: the six score lines of 五率一比 — the value from its numerator and denominator, the
// target, the weight, the points and the weighted points — adding up to the score; the curve from score to
// share with the team's point marked; and the residents under contract at the state day (masked, audited).
import { Alert, Card, Drawer, Empty, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { paymentErrorLines } from './errors.ts';
import type { ContractFeeResult, ContractedResident, PaymentReport, Ratio, ScoreLine } from '../../pages/payments/types.ts';
import { useContracted } from './api.ts';
import { COLORS, ReactEChartsCore, echarts } from './charts.ts';
import { bpText, count, money, pointsText, rateText, timesText } from './format.ts';
import { SourceTip, pagerOf } from './parts.tsx';
import QuarterTrendCard from './QuarterTrendCard.tsx';

const PAGE_SIZE = 20;

interface Props {
  report: PaymentReport;
  team: ContractFeeResult;
  periodLabel: string;
  onClose: () => void;
}

const counts = (r: Ratio) => `${count(r.numerator)} / ${count(r.denominator)}`;

export default function ContractFeeDrawer({ report, team, periodLabel, onClose }: Props) {
  const { t } = useTranslation();
  const p = report.parameters.contract_fee;
  const [page, setPage] = useState(1);
  const residents = useContracted({ year: report.period.year, quarter: report.period.quarter, team: team.team_id, page, pageSize: PAGE_SIZE });

  const valueOf = (l: ScoreLine) => {
    if (l.item === 'community_visit_ratio') {
      const { contracted, not_contracted } = team.rates.community_visit;
      return (
        <div className="pay-num">
          {l.value_bp === null ? '—' : t('payments.contractFee.drawer.ratioValue', { times: timesText(l.value_bp) })}
          <div className="cell-sub pay-wrap">
            {t('payments.contractFee.drawer.ratioDetail', { contracted: `${rateText(contracted)} (${counts(contracted)})`, notContracted: `${rateText(not_contracted)} (${counts(not_contracted)})` })}
          </div>
        </div>
      );
    }
    const r = team.rates[l.item];
    return (
      <div className="pay-num">
        {rateText(r)}
        <div className="cell-sub">{r.denominator ? counts(r) : t('payments.contractFee.drawer.noDenominator')}</div>
      </div>
    );
  };

  const lineColumns: TableColumnsType<ScoreLine> = [
    { key: 'item', title: t('payments.contractFee.drawer.item'), render: (_, l) => <span className="pay-nowrap">{t(`payments.items.${l.item}`)}</span> },
    { key: 'value', title: t('payments.contractFee.drawer.value'), align: 'right', render: (_, l) => valueOf(l) },
    {
      key: 'target',
      title: t('payments.contractFee.drawer.target'),
      align: 'right',
      render: (_, l) => (
        <span className="pay-num pay-nowrap">
          {l.item === 'community_visit_ratio' ? t('payments.contractFee.drawer.ratioValue', { times: timesText(l.target_bp) }) : bpText(l.target_bp)} <SourceTip source={p.items[l.item].target} />
        </span>
      ),
    },
    {
      key: 'weight',
      title: t('payments.contractFee.drawer.weight'),
      align: 'right',
      render: (_, l) => (
        <span className="pay-num pay-nowrap">
          {bpText(l.weight_bp)} <SourceTip source={p.items[l.item].weight} />
        </span>
      ),
    },
    { key: 'points', title: t('payments.contractFee.drawer.points'), align: 'right', render: (_, l) => <span className={`pay-num${l.points < 10000 ? ' pay-warn' : ''}`}>{pointsText(l.points)}</span> },
    { key: 'weighted', title: t('payments.contractFee.drawer.weighted'), align: 'right', render: (_, l) => <span className="pay-num">{((l.weight_bp * l.points) / 1_000_000).toFixed(2)}</span> },
  ];

  const curve = p.curve.points.map(([s, bp]) => [s, bp / 100]);
  const teamPoint = [team.score / 100, team.share_bp / 100];
  const option = {
    animation: false,
    grid: { left: 8, right: 24, top: 16, bottom: 28, containLabel: true },
    tooltip: { trigger: 'item' as const, formatter: (e: { value: number[] }) => `${e.value[0].toFixed(2)} → ${e.value[1].toFixed(2)}%` },
    xAxis: { type: 'value' as const, min: 0, max: 100, name: t('payments.contractFee.drawer.scoreAxis'), nameLocation: 'middle' as const, nameGap: 26 },
    yAxis: { type: 'value' as const, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { type: 'line' as const, data: curve, color: COLORS.teal, symbolSize: 6 },
      {
        type: 'scatter' as const,
        data: [teamPoint],
        color: COLORS.orange,
        symbolSize: 14,
        label: {
          show: true,
          position: team.score > 5000 ? ('left' as const) : ('right' as const),
          distance: 10,
          fontSize: 12,
          backgroundColor: 'rgba(255,255,255,0.9)',
          padding: [2, 4],
          formatter: () => t('payments.contractFee.drawer.teamPoint', { score: pointsText(team.score), share: bpText(team.share_bp) }),
        },
      },
    ],
  };

  const residentColumns: TableColumnsType<ContractedResident & { key: string }> = [
    { key: 'name', title: t('payments.contractFee.drawer.name'), render: (_, r) => r.name },
    { key: 'id', title: t('payments.contractFee.drawer.idNumber'), render: (_, r) => <span className="mono">{r.id_number}</span> },
    { key: 'start', title: t('payments.contractFee.drawer.start'), render: (_, r) => r.start_date },
    { key: 'end', title: t('payments.contractFee.drawer.end'), render: (_, r) => r.end_date },
  ];

  return (
    <Drawer
      open
      onClose={onClose}
      size={1040}
      destroyOnHidden
      title={
        <div>
          {team.name}
          <div className="cell-sub">{t('payments.contractFee.drawer.sub', { institution: team.institution_name, period: periodLabel })}</div>
        </div>
      }
      data-testid="fee-drawer"
    >
      <div className="pay-stack">
        <Card
          size="small"
          title={t('payments.contractFee.drawer.lines')}
          className="pay-panel"
          extra={
            // the same indicators on the dashboard, at this team, where each number opens its patients
            <Link to={`/reports?year=${report.period.year}&quarter=${report.period.quarter ?? 'year'}&at=${encodeURIComponent(team.team_id)}`} data-testid="fee-indicators-link">
              {t('payments.contractFee.drawer.onDashboard')}
            </Link>
          }
        >
          <Table<ScoreLine>
            size="small"
            rowKey="item"
            columns={lineColumns}
            dataSource={team.lines}
            pagination={false}
            onRow={(l) => ({ 'data-testid': 'score-line', 'data-item': l.item }) as HTMLAttributes<HTMLElement>}
            summary={() => (
              <Table.Summary.Row className="pay-total">
                <Table.Summary.Cell index={0} colSpan={5}>
                  <Typography.Text strong>{t('payments.contractFee.drawer.total')}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <Typography.Text strong className="pay-num" data-testid="score-total">
                    {pointsText(team.score)}
                  </Typography.Text>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </Card>
        <QuarterTrendCard year={report.period.year} quarter={report.period.quarter} county={report.county} teamId={team.team_id} />
        <div className="pay-two">
          <Card
            size="small"
            title={
              <>
                {t('payments.contractFee.drawer.curve')} <SourceTip source={p.curve} />
              </>
            }
            className="pay-panel"
            data-testid="fee-curve"
          >
            <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 240 }} opts={{ renderer: 'canvas' }} />
            <div className="pay-fee-line" data-testid="fee-formula">
              {t('payments.contractFee.drawer.fee', { base: money(team.base_fen), share: bpText(team.share_bp), fee: money(team.fee_fen) })}
            </div>
            <Typography.Text type="secondary" className="pay-hint">
              {t('payments.contractFee.drawer.curveHint', { points: p.curve.points.map(([s, bp]) => t('payments.contractFee.drawer.curvePoint', { score: s, share: bpText(bp) })).join(t('payments.listSeparator')) })}
            </Typography.Text>
          </Card>
          <Card size="small" title={t('payments.contractFee.drawer.contracted')} className="pay-panel">
            <Typography.Text type="secondary" className="pay-hint pay-hint--top">
              {residents.data ? <span data-testid="contracted-total">{t('payments.contractFee.drawer.contractedAt', { date: residents.data.at, total: count(residents.data.total) })}</span> : null}
              {residents.data ? ' · ' : null}
              {t('payments.contractFee.drawer.masked')}
            </Typography.Text>
            {residents.isError ? <Alert type="error" showIcon title={paymentErrorLines(residents.error).join('；')} /> : null}
            <Table<ContractedResident & { key: string }>
              size="small"
              rowKey="key"
              columns={residentColumns}
              dataSource={(residents.data?.items ?? []).map((r, i) => ({ ...r, key: `${page}:${i}` }))}
              loading={residents.isFetching}
              pagination={pagerOf(residents.data?.total, page, setPage, PAGE_SIZE)}
              onRow={() => ({ 'data-testid': 'contracted-row' }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.contractFee.drawer.noContracted')} /> }}
            />
          </Card>
        </div>
      </div>
    </Drawer>
  );
}
