// The smart audit's recoveries behind a township's or a community's figure (GET /api/payments/recoveries):
// each confirmed deduction of the year to the state day, by the day it was confirmed — the month it comes off
// the spending in — 20 a page, names and ID numbers masked (audited).
import { Alert, Empty, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentRecovery } from '../../pages/payments/types.ts';
import { useRecoveries } from './api.ts';
import { paymentErrorLines } from './errors.ts';
import { count, money } from './format.ts';
import { pagerOf } from './parts.tsx';

const PAGE_SIZE = 20;

interface Props {
  year: number;
  quarter: number | null;
  model: 'capitation' | 'budget';
  code: string;
  /** The pool switch, drawn left of the total. */
  poolSwitch: ReactNode;
}

export default function RecoveriesTable({ year, quarter, model, code, poolSwitch }: Props) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [code]);
  const list = useRecoveries({ year, quarter, model, code, page, pageSize: PAGE_SIZE });
  const en = i18n.language.startsWith('en');

  const columns: TableColumnsType<PaymentRecovery> = [
    { key: 'decided', title: t('payments.recoveries.decided'), render: (_, r) => <span className="pay-nowrap">{r.decided_on}</span> },
    { key: 'rule', title: t('payments.recoveries.rule'), render: (_, r) => (en ? r.rule.en : r.rule.zh) },
    { key: 'date', title: t('payments.claims.date'), render: (_, r) => <span className="pay-nowrap">{r.service_date}</span> },
    { key: 'no', title: t('payments.claims.settlementNo'), render: (_, r) => <span className="mono pay-small">{r.settlement_no ?? '—'}</span> },
    { key: 'institution', title: t('payments.claims.institution'), render: (_, r) => r.institution },
    { key: 'name', title: t('payments.claims.name'), render: (_, r) => <span className="pay-nowrap">{r.name ?? '—'}</span> },
    { key: 'id', title: t('payments.claims.idNumber'), render: (_, r) => <span className="mono pay-small">{r.id_number ?? '—'}</span> },
    { key: 'against', title: t('payments.recoveries.against'), render: (_, r) => <span className="pay-nowrap">{t(`payments.recoveries.againstValue.${r.against}`)}</span> },
    { key: 'amount', title: t('payments.recoveries.amount'), align: 'right', render: (_, r) => <span className="pay-num">{money(r.deduction_fen)}</span> },
  ];

  return (
    <div className="stack-8" data-testid="pay-recoveries">
      <div className="pay-toolbar">
        {poolSwitch}
        <Typography.Text type="secondary" className="pay-small">
          {list.data ? <span data-testid="pay-recoveries-total">{t('payments.claims.total', { total: count(list.data.total) })}</span> : null}
          {list.data ? ' · ' : null}
          {t('payments.recoveries.hint')}
        </Typography.Text>
      </div>
      {list.isError ? <Alert type="error" showIcon title={paymentErrorLines(list.error).join('；')} /> : null}
      <Table<PaymentRecovery>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={pagerOf(list.data?.total, page, setPage, PAGE_SIZE)}
        onRow={() => ({ 'data-testid': 'pay-recovery-row' }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.recoveries.empty')} /> }}
      />
    </div>
  );
}
