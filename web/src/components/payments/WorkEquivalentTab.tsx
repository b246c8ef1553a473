// 标化工作当量: a row per family-doctor team — how many of each service it gave in the period (follow-ups by
// mode, continuous prescriptions, integrated outpatient visits), the standardised work equivalents they make
// (count × each service's value) and the purchase (equivalents × the value of one). Each service's value and
// its source are in the header's tooltip and in the legend above the table.
import { Card, Empty, Table, type TableColumnsType, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { WORK_SERVICES, type PaymentReport, type WorkEquivalentResult, type WorkService } from '../../pages/payments/types.ts';
import { count, milliText, money } from './format.ts';
import { useTeamSearch } from './teamSearch.tsx';
import { Figures, HeadTip, SourceTip, useSourceText } from './parts.tsx';
import QuarterTrendCard from './QuarterTrendCard.tsx';

export default function WorkEquivalentTab({ report }: { report: PaymentReport }) {
  const { t } = useTranslation();
  const all = report.results.work_equivalent;
  const p = report.parameters.work_equivalent;
  const source = useSourceText();
  const { rows, search, table } = useTeamSearch(all, 'work-search');

  if (!all.length) {
    return (
      <Card size="small" data-testid="pay-work-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.work.empty')} />
      </Card>
    );
  }

  const countOf = (r: WorkEquivalentResult, s: WorkService) => r.lines.find((l) => l.service === s)?.count ?? 0;
  const milli = all.reduce((s, r) => s + r.equivalents_milli, 0);
  const services = all.reduce((s, r) => s + r.lines.reduce((x, l) => x + l.count, 0), 0);

  const columns: TableColumnsType<WorkEquivalentResult> = [
    {
      key: 'team',
      title: t('payments.work.columns.team'),
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
      render: (_, r) => (
        <div>
          {r.name}
          <div className="cell-sub">{r.institution_name}</div>
        </div>
      ),
    },
    ...WORK_SERVICES.map((s) => ({
      key: s,
      title: (
        <HeadTip
          title={t(`payments.services.${s}`)}
          tip={
            <>
              {t('payments.work.each', { milli: milliText(p.services[s].milli) })}
              <br />
              {source(p.services[s])}
            </>
          }
        />
      ),
      align: 'right' as const,
      sorter: (a: WorkEquivalentResult, b: WorkEquivalentResult) => countOf(a, s) - countOf(b, s),
      render: (_: unknown, r: WorkEquivalentResult) => <span className="pay-num">{count(countOf(r, s))}</span>,
    })),
    {
      key: 'equivalents',
      title: t('payments.work.columns.equivalents'),
      align: 'right',
      sorter: (a, b) => a.equivalents_milli - b.equivalents_milli,
      render: (_, r) => <span className="pay-num" data-testid="work-equivalents">{milliText(r.equivalents_milli)}</span>,
    },
    { key: 'value', title: t('payments.work.columns.value'), align: 'right', sorter: (a, b) => a.value_fen - b.value_fen, render: (_, r) => <span className="pay-num pay-strong">{money(r.value_fen)}</span> },
  ];

  return (
    <div className="pay-tab" data-testid="pay-work">
      <Figures
        testId="work-totals"
        items={[
          { key: 'value', label: t('payments.work.totals.value'), value: money(report.results.totals.work_equivalent_fen), sub: t('payments.work.totals.teams', { n: all.length }) },
          { key: 'equivalents', label: t('payments.work.totals.equivalents'), value: milliText(milli) },
          { key: 'services', label: t('payments.work.totals.services'), value: count(services) },
          { key: 'per', label: <>{t('payments.work.totals.perEquivalent')} <SourceTip source={p.value} /></>, value: t('payments.yuanValue', { value: money(p.value.fen) }) },
        ]}
      />
      <QuarterTrendCard year={report.period.year} quarter={report.period.quarter} county={report.county} />
      <Card
        size="small"
        className="pay-panel pay-panel--table"
        title={`${t('payments.tabs.workEquivalent')} · ${t('payments.unitYuan')}`}
        extra={search}
      >
        <Typography.Text type="secondary" className="pay-hint pay-hint--top">
          {t('payments.work.hint', { value: money(p.value.fen) })}
        </Typography.Text>
        <div className="pay-legend" data-testid="work-legend">
          <span className="pay-legend__label">{t('payments.work.legend')}</span>
          {WORK_SERVICES.map((s) => (
            <span key={s} className="pay-legend__item">
              {t(`payments.services.${s}`)} <b>{milliText(p.services[s].milli)}</b>
            </span>
          ))}
        </div>
        <Table<WorkEquivalentResult>
          size="small"
          rowKey="team_id"
          columns={columns}
          dataSource={rows}
          showSorterTooltip={false}
          {...table}
          onRow={(r) => ({ 'data-testid': 'work-row', 'data-code': r.team_id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.work.empty')} /> }}
        />
      </Card>
    </div>
  );
}
