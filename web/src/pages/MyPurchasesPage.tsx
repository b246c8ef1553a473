// 我的购药 (patient): my drug purchases of a year — where and when, what the drugs cost, what the
// insurance fund paid and what I paid — with the year's totals and what each benefit has paid so far
// (GET /api/people/{my id}/claims). A purchase opens its receipt lines (GET /api/settlements/:id).
// A table on a wide screen, a list of cards on a phone.
import { ShoppingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Drawer, Empty, List, Result, Select, Skeleton, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { usePersonClaims, useSettlement } from '../components/counter/api.ts';
import LineExplanation, { BenefitTag } from '../components/counter/LineExplanation.tsx';
import type { PersonClaims, SettledLine } from '../components/counter/types.ts';
import { TWO_DISEASES, drugName, todayIso, yuan } from '../format.ts';
import { useDrugCatalogue } from '../hooks/reference.ts';
import { useIsPhone } from '../layout/useIsPhone.ts';
import { errorLines } from '../notify.ts';
import type { PersonDetail } from '../types.ts';

type Claim = PersonClaims['claims'][number];

const selfPayOf = (c: Pick<Claim, 'amountFen' | 'fundPayFen'>): number => c.amountFen - c.fundPayFen;
const lineSelfPay = (l: SettledLine): number => l.deductibleFen + l.copayFen + l.overLimitFen;

function Yuan({ fen, strong, testId }: { fen: number; strong?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`mono${strong ? ' money-strong' : ''}`} data-testid={testId} data-fen={fen}>
      {t('counter.yuanValue', { value: yuan(fen) })}
    </span>
  );
}

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={status === 'settled' ? 'green' : 'default'} data-testid="purchase-status" data-status={status}>
      {t(`counter.status.${status}`, { defaultValue: t('common.none') })}
    </Tag>
  );
}

/** "resident.two_disease" → 两病门诊用药保障（城乡居民医保）, as the counter names the pools. */
function usePoolName() {
  const { t } = useTranslation();
  return (key: string) => {
    const dot = key.indexOf('.');
    const [type, pool] = dot < 0 ? ['', key] : [key.slice(0, dot), key.slice(dot + 1)];
    const name = t(`counter.pools.${pool.replaceAll('.', '_')}`, { defaultValue: t('myPurchases.otherPool') });
    return type ? `${name}（${t(`person.insurance.${type}`, { defaultValue: type })}）` : name;
  };
}

function Totals({ data, extra }: { data: PersonClaims; extra: ReactNode }) {
  const { t } = useTranslation();
  const poolName = usePoolName();
  const settled = data.claims.filter((c) => c.status === 'settled');
  const amount = settled.reduce((s, c) => s + c.amountFen, 0);
  const fund = settled.reduce((s, c) => s + c.fundPayFen, 0);
  const pools = Object.entries(data.pools).filter(([, p]) => p.fundPaid > 0 || p.deductibleMet > 0);
  // the critical-illness pool counts what goes toward 大病保险; the others are what the fund paid
  const counted = (key: string) => key.endsWith('critical_illness');
  return (
    <Card size="small" title={t('myPurchases.yearTotals', { year: data.year })} extra={extra} data-testid="my-purchases-totals">
      <div className="purchase-totals">
        <div className="purchase-total">
          <div className="purchase-total__label">{t('myPurchases.count')}</div>
          <div className="purchase-total__value mono" data-testid="my-purchases-count">
            {t('myPurchases.countValue', { count: settled.length })}
          </div>
        </div>
        <div className="purchase-total">
          <div className="purchase-total__label">{t('myPurchases.amount')}</div>
          <div className="purchase-total__value">
            <Yuan fen={amount} testId="my-purchases-amount" />
          </div>
        </div>
        <div className="purchase-total purchase-total--fund">
          <div className="purchase-total__label">{t('myPurchases.fund')}</div>
          <div className="purchase-total__value">
            <Yuan fen={fund} testId="my-purchases-fund" />
          </div>
        </div>
        <div className="purchase-total purchase-total--self">
          <div className="purchase-total__label">{t('myPurchases.self')}</div>
          <div className="purchase-total__value">
            <Yuan fen={amount - fund} testId="my-purchases-self" />
          </div>
        </div>
      </div>
      {pools.length ? (
        <div className="purchase-pools" data-testid="my-purchases-pools">
          <Typography.Text type="secondary">{t('myPurchases.pools')}</Typography.Text>
          {pools.map(([key, p]) => (
            <div key={key} className="purchase-pools__item" data-testid="my-purchases-pool" data-pool={key}>
              <Typography.Text strong>{poolName(key)}</Typography.Text>
              <span>
                {counted(key) ? null : t('myPurchases.poolFund')} <Yuan fen={p.fundPaid} />
                {p.deductibleMet > 0 ? (
                  <Typography.Text type="secondary">
                    {' · '}
                    {t('myPurchases.deductibleMet')} <Yuan fen={p.deductibleMet} />
                  </Typography.Text>
                ) : null}
              </span>
            </div>
          ))}
        </div>
      ) : null}
    </Card>
  );
}

/** One purchase's receipt lines: each drug, its cost and the split. */
function ReceiptDrawer({ claim, onClose }: { claim: Claim | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const receipt = useSettlement(claim?.id);
  const catalogue = useDrugCatalogue(TWO_DISEASES);
  const r = receipt.data;
  return (
    <Drawer
      open={claim !== null}
      onClose={onClose}
      placement={phone ? 'bottom' : 'right'}
      size={phone ? '85%' : 520}
      title={claim ? t('myPurchases.receiptTitle', { date: claim.serviceDate }) : null}
      rootClassName="purchase-receipt"
      destroyOnHidden
    >
      {receipt.isError ? <Alert type="error" showIcon title={errorLines(receipt.error).join('；')} /> : null}
      {!r ? (
        receipt.isError ? null : <Skeleton active paragraph={{ rows: 4 }} />
      ) : (
        <div className="page-stack">
          <div className="purchase-receipt__head">
            <Typography.Text strong>{r.institution.name}</Typography.Text>
            <StatusTag status={r.status} />
          </div>
          <List
            size="small"
            dataSource={r.lines}
            renderItem={(l) => {
              const d = catalogue.byCode.get(l.drugCode);
              return (
                <List.Item data-testid="purchase-line">
                  <div className="purchase-line">
                    <div className="purchase-line__drug">
                      <Typography.Text strong>{d ? drugName(d) : l.drugName}</Typography.Text>{' '}
                      <Typography.Text type="secondary">{l.strength}</Typography.Text>
                      <div className="purchase-line__meta">
                        {t('myPurchases.qtyDays', { quantity: l.quantity, days: l.daysSupply })} <BenefitTag line={l} />
                      </div>
                      <div className="purchase-line__why">
                        <LineExplanation line={l} />
                      </div>
                    </div>
                    <div className="purchase-card__money">
                      <div>
                        <div className="purchase-total__label">{t('myPurchases.amountShort')}</div>
                        <Yuan fen={l.amountFen} />
                      </div>
                      <div>
                        <div className="purchase-total__label">{t('myPurchases.fundShort')}</div>
                        <Yuan fen={l.fundPayFen} />
                      </div>
                      <div>
                        <div className="purchase-total__label">{t('myPurchases.selfShort')}</div>
                        <Yuan fen={lineSelfPay(l)} strong />
                      </div>
                    </div>
                  </div>
                </List.Item>
              );
            }}
          />
          <div className="purchase-receipt__totals">
            <span>
              {t('myPurchases.amount')} <Yuan fen={r.totals.amountFen} strong />
            </span>
            <span>
              {t('myPurchases.fund')} <Yuan fen={r.totals.fundPayFen} strong />
            </span>
            <span>
              {t('myPurchases.self')} <Yuan fen={r.totals.selfPayFen} strong />
            </span>
          </div>
          {r.status === 'settled' && r.fundPayNowFen !== r.totals.fundPayFen ? (
            <Alert type="info" showIcon title={t('myPurchases.adjusted', { value: yuan(r.fundPayNowFen) })} />
          ) : null}
          {r.status === 'reversed' ? (
            <Alert
              type="info"
              showIcon
              title={t('myPurchases.reversedOn', { reason: r.reversalReason ?? t('common.none') })}
            />
          ) : null}
        </div>
      )}
    </Drawer>
  );
}

function PurchaseCards({ claims, onOpen }: { claims: Claim[]; onOpen: (c: Claim) => void }) {
  const { t } = useTranslation();
  return (
    <List
      className="purchase-cards"
      dataSource={claims}
      pagination={claims.length > 10 ? { pageSize: 10, size: 'small', align: 'center' } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myPurchases.empty')} /> }}
      renderItem={(c) => (
        <List.Item
          className={`purchase-card${c.status === 'reversed' ? ' purchase-card--reversed' : ''}`}
          data-testid="purchase-row"
          data-claim-id={c.id}
          data-status={c.status}
          onClick={() => onOpen(c)}
        >
          <div className="purchase-card__head">
            <span className="mono purchase-card__date">{c.serviceDate}</span>
            <StatusTag status={c.status} />
          </div>
          <div className="purchase-card__place">{c.institution}</div>
          <div className="purchase-card__money">
            <div>
              <div className="purchase-total__label">{t('myPurchases.amount')}</div>
              <Yuan fen={c.amountFen} />
            </div>
            <div>
              <div className="purchase-total__label">{t('myPurchases.fund')}</div>
              <Yuan fen={c.fundPayFen} testId="purchase-fund" />
            </div>
            <div>
              <div className="purchase-total__label">{t('myPurchases.self')}</div>
              <Yuan fen={selfPayOf(c)} strong testId="purchase-self" />
            </div>
          </div>
          <Typography.Link className="purchase-card__open">{t('myPurchases.details')}</Typography.Link>
        </List.Item>
      )}
    />
  );
}

function PurchaseTable({ claims, loading, onOpen }: { claims: Claim[]; loading: boolean; onOpen: (c: Claim) => void }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Claim> = [
    { title: t('myPurchases.date'), dataIndex: 'serviceDate', width: 130, render: (d: string) => <span className="mono">{d}</span> },
    { title: t('myPurchases.institution'), dataIndex: 'institution' },
    { title: t('counter.claims.status'), dataIndex: 'status', width: 100, render: (s: string) => <StatusTag status={s} /> },
    { title: t('myPurchases.amount'), dataIndex: 'amountFen', align: 'right', width: 130, render: (f: number) => <Yuan fen={f} /> },
    { title: t('myPurchases.fund'), dataIndex: 'fundPayFen', align: 'right', width: 150, render: (f: number) => <Yuan fen={f} testId="purchase-fund" /> },
    { title: t('myPurchases.self'), key: 'self', align: 'right', width: 130, render: (_, c) => <Yuan fen={selfPayOf(c)} strong testId="purchase-self" /> },
    { title: '', key: 'open', width: 80, render: () => <Typography.Link>{t('myPurchases.details')}</Typography.Link> },
  ];
  return (
    <Table<Claim>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={claims}
      loading={loading}
      pagination={claims.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myPurchases.empty')} /> }}
      rowClassName={(c) => `row-clickable${c.status === 'reversed' ? ' row-struck' : ''}`}
      onRow={(c) => ({ onClick: () => onOpen(c), 'data-testid': 'purchase-row', 'data-claim-id': c.id, 'data-status': c.status }) as HTMLAttributes<HTMLElement>}
    />
  );
}

export default function MyPurchasesPage() {
  const { t } = useTranslation();
  const phone = useIsPhone();
  const thisYear = Number(todayIso().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [open, setOpen] = useState<Claim | null>(null);
  const me = useQuery({
    queryKey: ['people', 'me'],
    queryFn: ({ signal }) => api<PersonDetail>('/api/people/me', { signal }),
    meta: { silent: true },
  });
  const claims = usePersonClaims(me.data?.id ?? null, year);

  if (me.isError) return <Result status="info" title={t('person.myInfoMissing')} />;
  if (claims.isError) return <Result status="error" title={t('errors.loadFailed')} subTitle={errorLines(claims.error).join('；')} />;

  const list = claims.data?.claims ?? [];
  const yearSelect = (
    <Select
      size="small"
      value={year}
      onChange={setYear}
      options={[thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: t('counter.claims.year', { year: y }) }))}
      data-testid="my-purchases-year"
    />
  );
  return (
    <div className="page-stack" data-testid="my-purchases">
      {claims.data ? <Totals data={claims.data} extra={yearSelect} /> : <Card size="small"><Skeleton active paragraph={{ rows: 2 }} /></Card>}
      <Card
        size="small"
        title={
          <Space size={8}>
            <ShoppingOutlined />
            {t('myPurchases.title')}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" className="section-hint">
          {t('myPurchases.hint')}
        </Typography.Paragraph>
        {!claims.data ? (
          <Skeleton active paragraph={{ rows: 4 }} />
        ) : phone ? (
          <PurchaseCards claims={list} onOpen={setOpen} />
        ) : (
          <PurchaseTable claims={list} loading={claims.isFetching} onOpen={setOpen} />
        )}
      </Card>
      <ReceiptDrawer claim={open} onClose={() => setOpen(null)} />
    </div>
  );
}
