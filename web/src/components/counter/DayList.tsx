// 日结 (/settlements/day): the counter's end-of-day list — the institution's settlements and reversals of
// a day with totals by benefit and by payer, reversals netted; printed (only the list, no menus:
// counter.css) or exported as CSV (Chinese headers unless the app speaks English).
import { ArrowLeftOutlined, DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Skeleton, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { yuan } from '../../format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { counterErrorLines, useSettlementDay } from './api.ts';
import type { Payers, SettlementDay } from './types.ts';
import './counter.css';

type Entry = SettlementDay['entries'][number];
const BENEFITS = ['two_disease', 'general', 'specified', 'none'] as const;
const num = (fen: number) => <span className="mono">{yuan(fen)}</span>;

export default function DayList({ today }: { today: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : today;
  const day = useSettlementDay(date);
  const d = day.data;
  // the personal account shows only where a claim drew on it (no shipped policy does)
  const withAccount = (d?.entries ?? []).some((e) => e.accountFen !== 0);
  const csvHref = `/api/settlements/day.csv?date=${date}&lang=${currentLanguage() === 'en-US' ? 'en' : 'zh'}`;

  const money = (key: keyof Payers | 'amountFen', title: string) => ({ title, dataIndex: key, key, align: 'right' as const, width: 110, render: (f: number) => num(f) });
  const columns = [
    { title: t('counter.day.number'), dataIndex: 'settlementNo', key: 'no', width: 280, render: (v: string) => <span className="mono counter-day__nowrap" data-testid="day-number">{v}</span> },
    {
      title: t('counter.day.kind'), dataIndex: 'kind', key: 'kind', width: 70,
      render: (k: Entry['kind']) => <Tag color={k === 'reversal' ? 'red' : 'green'}>{t(`counter.day.kind_${k}`)}</Tag>,
    },
    { title: t('counter.day.time'), dataIndex: 'at', key: 'at', width: 96, render: (v: string) => <span className="mono counter-day__nowrap">{dayjs(v).format('HH:mm:ss')}</span> },
    {
      title: t('counter.receipt.patient'), key: 'person',
      render: (_: unknown, e: Entry) => (
        <div>
          <div>{e.person.name}</div>
          <div className="counter-day__sub mono">{e.person.idNumber}</div>
        </div>
      ),
    },
    { title: t('counter.receipt.policy'), key: 'policy', render: (_: unknown, e: Entry) => <span className="counter-day__sub">{e.policy.name}</span> },
    money('amountFen', t('counter.quote.amount')),
    money('fundFen', t('counter.receipt.payFund')),
    ...(withAccount ? [money('accountFen', t('counter.receipt.payAccount'))] : []),
    money('cashFen', t('counter.receipt.payCash')),
  ];

  const sumRow = (label: string, s: Payers & { amountFen: number }, testId: string) => (
    <tr key={testId} data-testid={testId} data-amount-fen={s.amountFen} data-fund-fen={s.fundFen} data-cash-fen={s.cashFen}>
      <th>{label}</th>
      <td className="num">{num(s.amountFen)}</td>
      <td className="num">{num(s.fundFen)}</td>
      {withAccount ? <td className="num">{num(s.accountFen)}</td> : null}
      <td className="num">{num(s.cashFen)}</td>
    </tr>
  );

  return (
    <div className="page-stack counter-day-page">
      <div className="counter-receipt-toolbar no-print">
        <Space size={8} wrap>
          <Link to="/settlements">
            <Button icon={<ArrowLeftOutlined />}>{t('counter.receipt.back')}</Button>
          </Link>
          <DatePicker
            value={dayjs(date)}
            allowClear={false}
            disabledDate={(v) => v.isAfter(dayjs(today), 'day')}
            onChange={(v) => v && setParams({ date: v.format('YYYY-MM-DD') })}
            data-testid="day-date"
          />
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!d} data-testid="day-print">
            {t('counter.day.print')}
          </Button>
          <Button icon={<DownloadOutlined />} href={csvHref} disabled={!d} data-testid="day-csv">
            {t('counter.day.csv')}
          </Button>
        </Space>
      </div>
      {day.isError ? <Alert type="error" showIcon title={counterErrorLines(day.error).join('；')} data-testid="day-error" /> : null}
      {d ? (
        <article className="counter-day" data-testid="day-list" data-date={d.date}>
          <header className="counter-day__head">
            <div className="counter-receipt__institution">
              {d.institution.name} <span className="mono counter-day__sub">{d.institution.code}</span>
            </div>
            <h1 className="counter-receipt__title">{t('counter.day.title')}</h1>
            <div className="counter-receipt__subtitle mono">{d.date}</div>
          </header>
          <Table<Entry>
            size="small"
            rowKey={(e) => `${e.kind}-${e.claimId}`}
            columns={columns}
            dataSource={d.entries}
            pagination={false}
            tableLayout="fixed"
            locale={{ emptyText: t('counter.day.empty') }}
            data-testid="day-entries"
            onRow={(e) => ({ 'data-testid': 'day-entry', 'data-kind': e.kind }) as React.HTMLAttributes<HTMLElement>}
          />
          <Typography.Paragraph className="counter-day__count" data-testid="day-count">
            {t('counter.day.count', { settlements: d.totals.settlements, reversals: d.totals.reversals })}
          </Typography.Paragraph>
          <table className="counter-day__totals" data-testid="day-totals">
            <thead>
              <tr>
                <th />
                <th className="num">{t('counter.quote.amount')}</th>
                <th className="num">{t('counter.receipt.payFund')}</th>
                {withAccount ? <th className="num">{t('counter.receipt.payAccount')}</th> : null}
                <th className="num">{t('counter.receipt.payCash')}</th>
              </tr>
            </thead>
            <tbody>
              {sumRow(t('counter.day.total'), d.totals, 'day-total')}
              {BENEFITS.filter((b) => b !== 'none' || d.totals.byBenefit.none.amountFen !== 0).map((b) =>
                sumRow(t(`counter.day.benefit_${b}`), d.totals.byBenefit[b], `day-benefit-${b}`),
              )}
            </tbody>
          </table>
          <footer className="counter-receipt__foot">
            <span>{t('counter.receipt.cashier')}{t('counter.colon')}________________</span>
            <span className="counter-receipt__muted">{t('counter.receipt.printedAt', { time: dayjs().format('YYYY-MM-DD HH:mm') })}</span>
          </footer>
        </article>
      ) : day.isError ? null : (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      )}
    </div>
  );
}
