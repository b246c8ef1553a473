// 机构汇总: what each institution is owed by the run and of what — its teams' contract fees and work-equivalent
// purchase for the period, a pilot township centre's capitation settlement at the year's end (kept, or its
// share of an overrun; projected while the year runs) — the sum beside them. Each part is drilled into on its
// own tab; Luohu's reward and the long-prescription allowance are the medical community's (the budget's tab).
import { Card, Empty, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentReport, ProviderTotal } from '../../pages/payments/types.ts';
import { count, money } from './format.ts';
import { Figures } from './parts.tsx';
import { useTeamSearch } from './teamSearch.tsx';

export default function ProvidersTab({ report }: { report: PaymentReport }) {
  const { t } = useTranslation();
  const all = report.results.providers.map((p) => ({ ...p, name: p.institution_name }));
  const { rows, search, table } = useTeamSearch(all, 'owed-search', t('payments.providers.search'));

  if (!all.length) {
    return (
      <Card size="small" data-testid="pay-owed-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.providers.empty')} />
      </Card>
    );
  }

  const sum = (f: (p: ProviderTotal) => number) => all.reduce((s, p) => s + f(p), 0);
  const settle = (p: ProviderTotal) => (p.capitation ? p.capitation.retained_fen - p.capitation.overrun_centre_fen : 0);
  const projected = all.some((p) => p.capitation?.basis === 'projected');

  const columns: TableColumnsType<ProviderTotal & { name: string }> = [
    { key: 'institution', title: t('payments.providers.columns.institution'), sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'), render: (_, p) => p.institution_name },
    { key: 'teams', title: t('payments.providers.columns.teams'), align: 'right', sorter: (a, b) => a.teams - b.teams, render: (_, p) => <span className="pay-num">{count(p.teams)}</span> },
    { key: 'fee', title: t('payments.providers.columns.contractFee'), align: 'right', sorter: (a, b) => a.contract_fee_fen - b.contract_fee_fen, render: (_, p) => <span className="pay-num">{money(p.contract_fee_fen)}</span> },
    { key: 'work', title: t('payments.providers.columns.workEquivalent'), align: 'right', sorter: (a, b) => a.work_equivalent_fen - b.work_equivalent_fen, render: (_, p) => <span className="pay-num">{money(p.work_equivalent_fen)}</span> },
    {
      key: 'capitation',
      title: t('payments.providers.columns.capitation'),
      align: 'right',
      sorter: (a, b) => settle(a) - settle(b),
      render: (_, p) =>
        p.capitation ? (
          <div className={`pay-num${settle(p) < 0 ? ' pay-negative' : ''}`}>
            {money(settle(p))}
            <div className="cell-sub">
              {p.capitation.overrun_centre_fen > 0 ? t('payments.providers.overrun') : t('payments.providers.retained')}
              {p.capitation.basis === 'projected' ? ` · ${t('payments.providers.projected')}` : ''}
            </div>
          </div>
        ) : (
          <span className="cell-sub">—</span>
        ),
    },
    {
      key: 'total',
      title: t('payments.providers.columns.total'),
      align: 'right',
      defaultSortOrder: 'descend',
      sorter: (a, b) => a.total_fen - b.total_fen,
      render: (_, p) => <span className="pay-num pay-strong" data-testid="owed-total">{money(p.total_fen)}</span>,
    },
  ];

  return (
    <div className="pay-tab" data-testid="pay-providers">
      <Figures
        testId="owed-totals"
        items={[
          { key: 'total', label: t('payments.providers.totals.total'), value: money(sum((p) => p.total_fen)), sub: t('payments.providers.totals.institutions', { n: all.length }) },
          { key: 'fee', label: t('payments.providers.columns.contractFee'), value: money(sum((p) => p.contract_fee_fen)) },
          { key: 'work', label: t('payments.providers.columns.workEquivalent'), value: money(sum((p) => p.work_equivalent_fen)) },
          { key: 'capitation', label: t('payments.providers.columns.capitation'), value: money(sum(settle)), sub: projected ? t('payments.providers.projected') : undefined },
        ]}
      />
      <Card size="small" className="pay-panel pay-panel--table" title={`${t('payments.tabs.providers')} · ${t('payments.unitYuan')}`} extra={search}>
        <Typography.Text type="secondary" className="pay-hint pay-hint--top">
          {t('payments.providers.hint')} {projected ? <Tag>{t('payments.providers.projectedTag')}</Tag> : null}
        </Typography.Text>
        <Table<ProviderTotal & { name: string }>
          size="small"
          rowKey="institution_id"
          columns={columns}
          dataSource={rows}
          showSorterTooltip={false}
          {...table}
          onRow={(p) => ({ 'data-testid': 'owed-row', 'data-code': p.institution_id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.providers.empty')} /> }}
        />
      </Card>
    </div>
  );
}
