// The claims behind a township's or a community's figure (GET /api/payments/claims): the pool chosen by
// the drawer, a month or the year to the state day, 20 a page, names and ID numbers masked (audited).
import { Alert, Button, Empty, Select, Table, type TableColumnsType, Typography } from 'antd';
import { type HTMLAttributes, type ReactNode, useState, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { paymentErrorLines } from './errors.ts';
import type { ClaimPool, PaymentClaim } from '../../pages/payments/types.ts';
import { usePaymentClaims } from './api.ts';
import { count, money } from './format.ts';
import { pagerOf, useMonthLabel } from './parts.tsx';

const PAGE_SIZE = 20;

interface Props {
  year: number;
  quarter: number | null;
  model: 'capitation' | 'budget';
  code: string;
  pool: ClaimPool | null;
  /** The months of the run, for the month filter. */
  months: string[];
  month: string | null;
  onMonth: (month: string | null) => void;
  /** The pool switch, drawn left of the month filter. */
  poolSwitch: ReactNode;
}

export default function ClaimsTable({ year, quarter, model, code, pool, months, month, onMonth, poolSwitch }: Props) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const monthLabel = useMonthLabel();
  useEffect(() => setPage(1), [pool, month, code]);
  const list = usePaymentClaims({ year, quarter, model, code, pool, month, page, pageSize: PAGE_SIZE });

  const columns: TableColumnsType<PaymentClaim> = [
    { key: 'date', title: t('payments.claims.date'), render: (_, c) => <span className="pay-nowrap">{c.service_date}</span> },
    { key: 'no', title: t('payments.claims.settlementNo'), render: (_, c) => <span className="mono pay-small">{c.settlement_no ?? '—'}</span> },
    { key: 'institution', title: t('payments.claims.institution'), render: (_, c) => c.institution },
    { key: 'level', title: t('payments.claims.level'), render: (_, c) => <span className="pay-nowrap">{t(`payments.level.${c.level}`, { defaultValue: c.level })}</span> },
    { key: 'name', title: t('payments.claims.name'), render: (_, c) => <span className="pay-nowrap">{c.name}</span> },
    { key: 'id', title: t('payments.claims.idNumber'), render: (_, c) => <span className="mono pay-small">{c.id_number}</span> },
    { key: 'amount', title: t('payments.claims.amount'), align: 'right', render: (_, c) => <span className="pay-num">{money(c.amount_fen)}</span> },
    { key: 'fund', title: t('payments.claims.fund'), align: 'right', render: (_, c) => <span className="pay-num">{money(c.fund_fen)}</span> },
  ];

  return (
    <div className="stack-8" data-testid="pay-claims">
      <div className="pay-toolbar">
        {poolSwitch}
        <Select<string>
          size="small"
          value={month ?? ''}
          onChange={(v) => onMonth(v || null)}
          options={[{ value: '', label: t('payments.claims.allMonths') }, ...months.map((m) => ({ value: m, label: monthLabel(m) }))]}
          className="pay-month"
          aria-label={t('payments.claims.month')}
          data-testid="pay-claims-month"
        />
        {month ? (
          <Button size="small" type="link" onClick={() => onMonth(null)}>
            {t('payments.claims.clearMonth')}
          </Button>
        ) : null}
        <Typography.Text type="secondary" className="pay-small">
          {list.data ? <span data-testid="pay-claims-total">{t('payments.claims.total', { total: count(list.data.total) })}</span> : null}
          {list.data ? ' · ' : null}
          {t('payments.claims.masked')}
        </Typography.Text>
      </div>
      {list.isError ? <Alert type="error" showIcon title={paymentErrorLines(list.error).join('；')} data-testid="pay-claims-error" /> : null}
      <Table<PaymentClaim>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        pagination={pagerOf(list.data?.total, page, setPage, PAGE_SIZE)}
        onRow={() => ({ 'data-testid': 'pay-claim-row' }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('payments.claims.empty')} /> }}
      />
    </div>
  );
}
