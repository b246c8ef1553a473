// 试算: the split of each line (基金支付 / 起付线 / 自付 / 超限额) with its explanation, the totals and
// what is left of the annual limit (年度限额剩余) before and after this purchase. Nothing is committed.
import { Alert, Card, Empty, Space, Spin, Statistic, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { drugName, yuan } from '../../format.ts';
import type { Drug } from '../../types.ts';
import LineExplanation, { BenefitTag } from './LineExplanation.tsx';
import { Money, lineSelfPay, remainingLimit } from './money.tsx';
import type { Quote, SettledLine } from './types.ts';

export function SplitTable({
  lines,
  byCode,
  testId,
  rowTestId,
}: {
  lines: SettledLine[];
  byCode?: Map<string, Drug>;
  testId?: string;
  rowTestId: string;
}) {
  const { t } = useTranslation();
  const columns: TableColumnsType<SettledLine> = [
    {
      title: t('counter.cart.drug'),
      key: 'drug',
      render: (_, l) => {
        const d = byCode?.get(l.drugCode);
        return (
          <div className="counter-line">
            <div>
              <Typography.Text strong>{d ? drugName(d) : l.drugName}</Typography.Text>{' '}
              <Typography.Text type="secondary">{l.strength}</Typography.Text>{' '}
              <Typography.Text type="secondary" className="counter-line__qty">
                {t('counter.quote.qtyDays', { quantity: l.quantity, days: l.daysSupply })}
              </Typography.Text>
            </div>
            <Space size={4} align="start" className="counter-line__why">
              <BenefitTag line={l} />
              <LineExplanation line={l} />
            </Space>
          </div>
        );
      },
    },
    { title: t('counter.quote.amount'), dataIndex: 'amountFen', align: 'right', width: 80, render: (f: number) => <Money fen={f} /> },
    {
      title: t('counter.quote.fund'),
      dataIndex: 'fundPayFen',
      align: 'right',
      width: 84,
      render: (f: number) => <Money fen={f} strong testId="line-fund" />,
    },
    { title: t('counter.quote.deductible'), dataIndex: 'deductibleFen', align: 'right', width: 72, render: (f: number) => <Money fen={f} /> },
    { title: t('counter.quote.copay'), dataIndex: 'copayFen', align: 'right', width: 72, render: (f: number) => <Money fen={f} /> },
    {
      title: t('counter.quote.overLimit'),
      dataIndex: 'overLimitFen',
      align: 'right',
      width: 72,
      render: (f: number) => (f > 0 ? <Typography.Text type="danger"><Money fen={f} /></Typography.Text> : <Money fen={f} />),
    },
    {
      title: t('counter.quote.selfPay'),
      key: 'self',
      align: 'right',
      width: 84,
      render: (_, l) => <Money fen={lineSelfPay(l)} testId="line-self" />,
    },
  ];
  return (
    <Table<SettledLine>
      size="small"
      rowKey="lineNo"
      columns={columns}
      dataSource={lines}
      pagination={false}
      tableLayout="fixed"
      data-testid={testId}
      onRow={(l) => ({ 'data-testid': rowTestId, 'data-line-no': l.lineNo, 'data-benefit': l.benefit }) as React.HTMLAttributes<HTMLElement>}
    />
  );
}

/** The figures that matter at the counter, large. */
export function TotalsBar({ totals, lines, prefix }: { totals: Quote['totals']; lines: SettledLine[]; prefix: string }) {
  const { t } = useTranslation();
  const remaining = remainingLimit(lines);
  return (
    <div className="counter-totals">
      <div data-testid={`${prefix}-amount`} data-fen={totals.amountFen}>
        <Statistic title={t('counter.quote.amountTotal')} value={yuan(totals.amountFen)} />
      </div>
      <div className="counter-totals__fund" data-testid={`${prefix}-fund`} data-fen={totals.fundPayFen}>
        <Statistic title={t('counter.quote.fundTotal')} value={yuan(totals.fundPayFen)} />
      </div>
      <div className="counter-totals__self" data-testid={`${prefix}-self`} data-fen={totals.selfPayFen}>
        <Statistic title={t('counter.quote.selfTotal')} value={yuan(totals.selfPayFen)} />
      </div>
      <div className="counter-totals__limit" data-testid={`${prefix}-remaining`} data-fen={remaining?.after ?? ''} data-before-fen={remaining?.before ?? ''}>
        <Statistic title={t('counter.quote.remainingAfter')} value={remaining ? yuan(remaining.after) : '—'} />
        {remaining ? (
          <Typography.Text type="secondary" className="counter-totals__before">
            {t('counter.quote.remainingBefore', { value: yuan(remaining.before) })}
          </Typography.Text>
        ) : null}
      </div>
    </div>
  );
}

export default function QuotePanel({
  quote,
  fetching,
  stale,
  errorLines,
  waiting,
  byCode,
}: {
  quote: Quote | undefined;
  fetching: boolean;
  /** The lines changed since this quote was made: its figures are shown dimmed. */
  stale: boolean;
  errorLines: string[];
  /** Why there is nothing to quote yet, or null. */
  waiting: string | null;
  byCode: Map<string, Drug>;
}) {
  const { t } = useTranslation();
  const t0 = quote?.totals;
  return (
    <Card
      size="small"
      title={t('counter.quote.title')}
      className="counter-quote"
      data-testid="quote-panel"
      data-state={errorLines.length ? 'error' : waiting ? 'waiting' : stale || fetching ? 'updating' : quote ? 'ready' : 'waiting'}
      extra={
        <Space size={8}>
          {fetching || stale ? <Spin size="small" /> : null}
          {quote ? (
            <Typography.Text type="secondary" className="counter-quote__policy">
              {quote.policy.name}
            </Typography.Text>
          ) : null}
        </Space>
      }
    >
      {errorLines.length ? (
        <Alert type="error" showIcon className="form-alert" title={t('counter.quote.failed')} description={errorLines.join('；')} data-testid="quote-error" />
      ) : null}
      {waiting || !quote || !t0 ? (
        errorLines.length ? null : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={waiting ?? t('counter.quote.waiting')} />
      ) : (
        <div className={stale || errorLines.length ? 'counter-quote__body counter-quote__body--stale' : 'counter-quote__body'}>
          <SplitTable lines={quote.lines} byCode={byCode} testId="quote-lines" rowTestId="quote-line" />
          <TotalsBar totals={t0} lines={quote.lines} prefix="quote" />
          <Space size={[12, 4]} wrap className="counter-quote__foot">
            <Typography.Text type="secondary">
              {t('counter.quote.breakdown')}
              {t('counter.quote.deductible')} <Money fen={t0.deductibleFen} /> · {t('counter.quote.copay')} <Money fen={t0.copayFen} /> ·{' '}
              {t('counter.quote.overLimit')} <Money fen={t0.overLimitFen} />
            </Typography.Text>
            {t0.criticalIllnessFen > 0 ? (
              <Tag>{t('counter.quote.criticalIllness', { value: yuan(t0.criticalIllnessFen) })}</Tag>
            ) : null}
            <Typography.Text type="secondary">
              {quote.institution.name} · {t('counter.quote.serviceDate', { date: quote.serviceDate })}
            </Typography.Text>
          </Space>
        </div>
      )}
    </Card>
  );
}
