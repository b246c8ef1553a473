// 本年度结算记录: a person's claims of a year (newest first) with what each pool has paid, from which a
// receipt is opened or a claim of this counter reversed.
import { Alert, Card, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { todayIso } from '../../format.ts';
import { counterErrorLines, usePersonClaims } from './api.ts';
import { Money } from './money.tsx';
import ReverseModal, { type ReverseTarget } from './ReverseModal.tsx';
import type { PersonClaims } from './types.ts';

type Claim = PersonClaims['claims'][number];

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'settled' ? 'green' : status === 'reversed' ? 'default' : 'orange'} data-testid="claim-status" data-status={status}>
      {t(`counter.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** "resident.chronic" → 慢性病门诊 (城乡居民医保). */
export function usePoolName() {
  const { t } = useTranslation();
  return (key: string) => {
    const dot = key.indexOf('.');
    const [type, pool] = dot < 0 ? ['', key] : [key.slice(0, dot), key.slice(dot + 1)];
    // "outpatient.general": general outpatient's own cap within the shared pool
    const name = t(`counter.pools.${pool.replaceAll('.', '_')}`, { defaultValue: pool });
    return type ? `${name}（${t(`person.insurance.${type}`, { defaultValue: type })}）` : name;
  };
}

export default function ClaimsList({
  personId,
  personName,
  canReverse,
  canOpenReceipt,
  counterName,
  receiptPath,
}: {
  personId: string;
  personName: string;
  canReverse: boolean;
  /** The API shows receipts to the counters, the patient and the system administrator only. */
  canOpenReceipt: boolean;
  /** The institution whose claims this user may reverse (a claim is reversed where it was settled); null: any. */
  counterName: string | null;
  receiptPath: (id: string) => string;
}) {
  const { t } = useTranslation();
  const thisYear = Number(todayIso().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const claims = usePersonClaims(personId, year);
  const poolName = usePoolName();
  const [target, setTarget] = useState<ReverseTarget | null>(null);
  const [opening, setOpening] = useState(0);

  const columns: TableColumnsType<Claim> = [
    {
      title: t('counter.claims.date'),
      key: 'date',
      render: (_, c) => (
        <div>
          <span className="mono counter-claims__date">{c.serviceDate}</span> <StatusTag status={c.status} />
          <div className="counter-claims__sub">{c.institution}</div>
        </div>
      ),
    },
    {
      title: `${t('counter.quote.amount')} / ${t('counter.quote.fund')}`,
      key: 'money',
      align: 'right',
      width: 104,
      render: (_, c) => (
        <div>
          <Money fen={c.amountFen} />
          <div className="counter-claims__sub">
            <Money fen={c.fundPayFen} testId="claim-fund" />
          </div>
        </div>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 88,
      render: (_, c) => (
        <div className="counter-claims__actions">
          {canOpenReceipt ? (
            <Link to={receiptPath(c.id)} data-testid="claim-open">
              {t('counter.claims.open')}
            </Link>
          ) : null}
          {canReverse && c.status === 'settled' && (counterName === null || c.institution === counterName) ? (
            <Typography.Link
              type="danger"
              data-testid="claim-reverse"
              onClick={() => {
                setOpening((n) => n + 1);
                setTarget({ id: c.id, personName, serviceDate: c.serviceDate, amountFen: c.amountFen, fundPayFen: c.fundPayFen });
              }}
            >
              {t('counter.reverse.button')}
            </Typography.Link>
          ) : null}
        </div>
      ),
    },
  ];

  const pools = Object.entries(claims.data?.pools ?? {});
  return (
    <Card
      size="small"
      title={t('counter.claims.title')}
      data-testid="claims-list"
      extra={
        <Select
          size="small"
          value={year}
          onChange={setYear}
          options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: t('counter.claims.year', { year: y }) }))}
          data-testid="claims-year"
        />
      }
    >
      {claims.isError ? <Alert type="error" showIcon className="form-alert" title={counterErrorLines(claims.error).join('；')} /> : null}
      <div className="counter-pools" data-testid="claims-pools">
        <Typography.Text type="secondary">{t('counter.claims.used')}</Typography.Text>
        {pools.length ? (
          pools.map(([key, p]) => (
            <span key={key} className="counter-pools__item" data-testid="claims-pool" data-pool={key} data-fen={p.fundPaid}>
              {poolName(key)} <Money fen={p.fundPaid} unit strong />
              {p.deductibleMet > 0 ? (
                <Typography.Text type="secondary">
                  {' '}
                  · {t('counter.claims.deductibleMet')} <Money fen={p.deductibleMet} unit />
                </Typography.Text>
              ) : null}
            </span>
          ))
        ) : (
          <span className="counter-pools__item" data-testid="claims-pool" data-fen={0}>
            <Money fen={0} unit />
          </span>
        )}
      </div>
      <Table<Claim>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={claims.data?.claims ?? []}
        loading={claims.isFetching}
        pagination={(claims.data?.claims.length ?? 0) > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
        tableLayout="fixed"
        locale={{ emptyText: t('counter.claims.empty') }}
        rowClassName={(c) => (c.status === 'reversed' ? 'counter-claim--reversed' : '')}
        onRow={(c) => ({ 'data-testid': 'claim-row', 'data-claim-id': c.id, 'data-status': c.status }) as HTMLAttributes<HTMLElement>}
      />
      <ReverseModal key={opening} target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}
