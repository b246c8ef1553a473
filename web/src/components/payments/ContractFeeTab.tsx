// 家庭医生签约服务费: a row per family-doctor team — its institution, resident-months under contract, the
// base (monthly fee × resident-months), the 五率一比 score, the share of the base the score earns on the
// curve, and the fee. Sortable, searchable, 20 a page; a row opens the team's score lines and residents.
import { Card, Empty, Table, type TableColumnsType, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractFeeResult, PaymentReport } from '../../pages/payments/types.ts';
import { bpText, count, money, pointsText } from './format.ts';
import { useTeamSearch } from './teamSearch.tsx';
import { Figures } from './parts.tsx';
import QuarterTrendCard from './QuarterTrendCard.tsx';

interface Props {
  report: PaymentReport;
  onOpen: (teamId: string) => void;
}

export default function ContractFeeTab({ report, onOpen }: Props) {
  const { t } = useTranslation();
  const all = report.results.contract_fee;
  const p = report.parameters.contract_fee;
  const { rows, search, table } = useTeamSearch(all, 'fee-search');

  if (!all.length) {
    return (
      <Card size="small" data-testid="pay-fee-empty">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.contractFee.empty')} />
      </Card>
    );
  }

  const base = all.reduce((s, r) => s + r.base_fen, 0);
  const months = all.reduce((s, r) => s + r.resident_months, 0);
  const fee = report.results.totals.contract_fee_fen;

  const columns: TableColumnsType<ContractFeeResult> = [
    { key: 'team', title: t('payments.contractFee.columns.team'), sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'), render: (_, r) => <span className="pay-link">{r.name}</span> },
    { key: 'institution', title: t('payments.contractFee.columns.institution'), sorter: (a, b) => a.institution_name.localeCompare(b.institution_name, 'zh-CN'), render: (_, r) => r.institution_name },
    { key: 'months', title: t('payments.contractFee.columns.residentMonths'), align: 'right', sorter: (a, b) => a.resident_months - b.resident_months, render: (_, r) => <span className="pay-num">{count(r.resident_months)}</span> },
    {
      key: 'base',
      title: t('payments.contractFee.columns.base'),
      align: 'right',
      sorter: (a, b) => a.base_fen - b.base_fen,
      render: (_, r) => (
        <div className="pay-num">
          {money(r.base_fen)}
          <div className="cell-sub">{t('payments.contractFee.baseFormula', { months: count(r.resident_months), monthly: money(r.monthly_fen) })}</div>
        </div>
      ),
    },
    { key: 'score', title: t('payments.contractFee.columns.score'), align: 'right', sorter: (a, b) => a.score - b.score, render: (_, r) => <span className="pay-num" data-testid="fee-score">{pointsText(r.score)}</span> },
    { key: 'share', title: t('payments.contractFee.columns.share'), align: 'right', sorter: (a, b) => a.share_bp - b.share_bp, render: (_, r) => <span className="pay-num">{bpText(r.share_bp)}</span> },
    { key: 'fee', title: t('payments.contractFee.columns.fee'), align: 'right', sorter: (a, b) => a.fee_fen - b.fee_fen, render: (_, r) => <span className="pay-num pay-strong">{money(r.fee_fen)}</span> },
  ];

  return (
    <div className="pay-tab" data-testid="pay-contract-fee">
      <Figures
        testId="fee-totals"
        items={[
          { key: 'fee', label: t('payments.contractFee.totals.fee'), value: money(fee), sub: t('payments.contractFee.totals.teams', { n: all.length }) },
          { key: 'base', label: t('payments.contractFee.totals.base'), value: money(base), sub: t('payments.contractFee.baseFormula', { months: count(months), monthly: money(p.monthly.fen) }) },
          { key: 'months', label: t('payments.contractFee.totals.residentMonths'), value: count(months) },
          { key: 'share', label: t('payments.contractFee.totals.share'), value: base > 0 ? bpText(Math.round((fee * 10000) / base)) : '—' },
        ]}
      />
      <QuarterTrendCard year={report.period.year} quarter={report.period.quarter} county={report.county} />
      <Card
        size="small"
        className="pay-panel pay-panel--table"
        title={`${t('payments.tabs.contractFee')} · ${t('payments.unitYuan')}`}
        extra={search}
      >
        <Typography.Text type="secondary" className="pay-hint pay-hint--top">
          {t('payments.contractFee.hint', { monthly: money(p.monthly.fen) })}
        </Typography.Text>
        <Table<ContractFeeResult>
          size="small"
          rowKey="team_id"
          columns={columns}
          dataSource={rows}
          showSorterTooltip={false}
          {...table}
          rowClassName="pay-row"
          onRow={(r) => ({ onClick: () => onOpen(r.team_id), 'data-testid': 'fee-row', 'data-code': r.team_id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.contractFee.empty')} /> }}
        />
      </Card>
    </div>
  );
}
