// 处方取药 (/dispensing): the counter starting from the prescription. The queue of approved prescriptions
// the patients chose this counter for (GET /api/dispensing/queue), or a patient's own prescriptions
// (a cloud prescription brought from elsewhere, GET /api/people/:id/prescriptions); pick one, choose the
// packs to hand over now (a partial fill is allowed), see the quote with who pays what, then 发药并结算 in
// one step — one idempotency key per hand-over, reused on a retry — and see the batches handed over and
// the receipt (结算单). A dispense is taken back (退药) from the prescription's list of dispenses.
import { CloseOutlined, MedicineBoxOutlined, PrinterOutlined, ReloadOutlined, RollbackOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Row, Segmented, Skeleton, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { applyServerErrors } from '../../formErrors.ts';
import { drugName as drugLabel, formatDateTime } from '../../format.ts';
import { useUrlState } from '../../hooks/urlState.ts';
import { useCounterDrugs, useDebounced } from '../../components/counter/api.ts';
import PatientFinder from '../../components/counter/PatientFinder.tsx';
import Receipt from '../../components/counter/Receipt.tsx';
import { Money } from '../../components/counter/money.tsx';
import type { Settlement } from '../../components/counter/types.ts';
import { FillPlaceText, RxStatusTag } from '../../components/pharmacy/parts.tsx';
import {
  type DispenseResult,
  type FillLine,
  type FillQueueItem,
  type PersonRx,
  type Prescription,
  type RxDispense,
  type RxLine,
  hasRule,
  newHandOverKey,
  pharmacyErrorLines,
  useDispense,
  useDispenseQuote,
  useFillQueue,
  usePersonPrescriptions,
  usePrescription,
  useTakeBack,
} from '../../components/pharmacy/api.ts';
import '../../components/counter/counter.css';
import '../../components/pharmacy/pharmacy.css';

const QUOTE_DELAY_MS = 300;
const FILLABLE = new Set(['approved', 'partly_dispensed']);

/** The hand-over in progress keeps its key across a reload of the tab: a lost answer is retried with it. */
const keyStore = (id: string) => `manbing.rx.handover.${id}`;
function handOverKey(id: string): string {
  try {
    const k = window.sessionStorage.getItem(keyStore(id));
    if (k && k.length >= 8) return k;
    const fresh = newHandOverKey();
    window.sessionStorage.setItem(keyStore(id), fresh);
    return fresh;
  } catch {
    return newHandOverKey();
  }
}
function forgetHandOverKey(id: string): void {
  try {
    window.sessionStorage.removeItem(keyStore(id));
  } catch {
    // private mode
  }
}

export default function DispensingPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const rxId = params.get('rx');
  const mode = params.get('find') === 'person' ? 'person' : 'queue';

  return (
    <div className="page-stack rx-dispensing">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card
            title={
              <Typography.Title level={4} className="page-title">
                {t('pharmacy.dispense.title')}
              </Typography.Title>
            }
          >
            <Segmented
              block
              value={mode}
              onChange={(v) => update({ find: v === 'person' ? 'person' : null })}
              options={[
                { value: 'queue', label: t('pharmacy.dispense.fromQueue') },
                { value: 'person', label: t('pharmacy.dispense.fromPatient') },
              ]}
              data-testid="rx-find-mode"
              className="rx-gap"
            />
            {mode === 'queue' ? <QueueList selected={rxId} onPick={(id) => update({ rx: id })} /> : <PersonRxFinder selected={rxId} onPick={(id) => update({ rx: id })} />}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          {rxId ? (
            <FillDesk key={rxId} id={rxId} onClose={() => update({ rx: null })} />
          ) : (
            <Card>
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.dispense.pick')} />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}

function QueueList({ selected, onPick }: { selected: string | null; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const queue = useFillQueue();
  const [filter, setFilter] = useState('');
  const f = filter.trim().toLowerCase();
  const items = (queue.data?.items ?? []).filter((r) => !f || r.prescriptionNo.toLowerCase().includes(f) || r.personName.toLowerCase().includes(f) || r.idNumber.slice(-4).includes(f));
  const columns: TableColumnsType<FillQueueItem> = [
    {
      title: t('pharmacy.fields.patient'),
      key: 'person',
      render: (_: unknown, r) => (
        <div>
          <Typography.Link strong>{r.personName}</Typography.Link> <span className="mono rx-muted">{r.idNumber.slice(-4)}</span>
          <div className="mono rx-muted rx-small">{r.prescriptionNo}</div>
        </div>
      ),
    },
    {
      title: t('pharmacy.fields.validUntil'),
      dataIndex: 'validUntil',
      render: (d: string, r) => (
        <div>
          <div className="mono rx-nowrap">{d}</div>
          <div className="rx-muted rx-small">{t(`pharmacy.fillPlace.${r.fillPlace}`)}</div>
        </div>
      ),
    },
    { title: t('pharmacy.fields.status'), dataIndex: 'status', render: (s: FillQueueItem['status']) => <RxStatusTag status={s} /> },
  ];
  return (
    <div className="page-stack">
      <Space.Compact block>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('pharmacy.dispense.filterPlaceholder')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="rx-queue-filter"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} loading={queue.isFetching} aria-label={t('pharmacy.refresh')} />
      </Space.Compact>
      {queue.isError ? <Alert type="error" showIcon title={pharmacyErrorLines(queue.error).join('；')} /> : null}
      <Table<FillQueueItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        loading={queue.isPending}
        pagination={items.length > 12 ? { pageSize: 12, size: 'small', showSizeChanger: false } : false}
        data-testid="rx-fill-queue"
        rowClassName={(r) => `row-clickable${r.id === selected ? ' rx-row--selected' : ''}`}
        onRow={(r) => ({ onClick: () => onPick(r.id), 'data-testid': 'rx-fill-row', 'data-rx-id': r.id, 'data-rx-no': r.prescriptionNo }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.dispense.queueEmpty')} /> }}
      />
    </div>
  );
}

/** A patient's prescriptions: find the patient as at the counter, then pick a fillable prescription. */
function PersonRxFinder({ selected, onPick }: { selected: string | null; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const q = (params.get('q') ?? '').trim();
  const personId = params.get('person');
  const list = usePersonPrescriptions(personId);
  if (!personId)
    return (
      <div className="rx-finder">
        <PatientFinder q={q} onSearch={(query) => update({ q: query, person: null })} onPick={(p) => update({ person: p.id })} />
      </div>
    );
  const columns: TableColumnsType<PersonRx> = [
    {
      title: t('pharmacy.fields.prescriptionNo'),
      key: 'no',
      render: (_: unknown, r) => (
        <div>
          <span className="mono rx-small">{r.prescriptionNo}</span>
          <div className="rx-muted rx-small">
            {r.fillInstitution} · {t('pharmacy.dispense.packsLeft', { count: r.remainingPacks })}
          </div>
        </div>
      ),
    },
    { title: t('pharmacy.fields.validUntil'), dataIndex: 'validUntil', render: (d: string) => <span className="mono">{d}</span> },
    { title: t('pharmacy.fields.status'), dataIndex: 'status', render: (s: PersonRx['status']) => <RxStatusTag status={s} /> },
  ];
  return (
    <div className="page-stack">
      <Button icon={<CloseOutlined />} onClick={() => update({ person: null })} data-testid="rx-person-change">
        {t('counter.changePatient')}
      </Button>
      {list.isError ? <Alert type="error" showIcon title={pharmacyErrorLines(list.error).join('；')} /> : null}
      <Table<PersonRx>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pagination={false}
        data-testid="rx-person-list"
        rowClassName={(r) => `${FILLABLE.has(r.status) ? 'row-clickable' : 'rx-row--muted'}${r.id === selected ? ' rx-row--selected' : ''}`}
        onRow={(r) => ({ onClick: () => onPick(r.id), 'data-testid': 'rx-person-row', 'data-rx-id': r.id }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.dispense.personEmpty')} /> }}
      />
    </div>
  );
}

/** Out of stock, in words: the problem's facts name each short drug with what is there. */
function outOfStockLines(error: unknown, drugName: (code: string) => string, t: (k: string, o?: Record<string, unknown>) => string): string[] {
  if (!(error instanceof ApiError)) return [];
  const short = (error.problem.errors ?? []).find((e) => e.rule === 'out_of_stock')?.facts?.short as Array<{ drugCode: string; asked: number; onHand: number }> | undefined;
  return (short ?? []).map((s) => t('pharmacy.dispense.shortLine', { drug: drugName(s.drugCode), asked: s.asked, onHand: s.onHand }));
}

function FillDesk({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const me = useMe().data;
  const myInstitution = me?.scope.kind === 'institution' ? me.scope.id : null;
  const rx = usePrescription(id);
  const drugs = useCounterDrugs();
  const byCode = useMemo(() => new Map((drugs.data ?? []).map((d) => [d.code, d])), [drugs.data]);
  const p = rx.data;
  const drugName = (code: string) => {
    const d = byCode.get(code);
    if (d) return drugLabel(d);
    const l = p?.lines.find((x) => x.drugCode === code);
    return l ? drugLabel({ genericNameZh: l.drugName, genericNameEn: l.drugNameEn }) : code;
  };
  const [packs, setPacks] = useState<Record<number, number | null>>({});
  const [key, setKey] = useState(() => handOverKey(id));
  const [done, setDone] = useState<DispenseResult | null>(null);
  const [takeBack, setTakeBack] = useState<RxDispense | null>(null);
  const dispense = useDispense();

  // each line starts with all that remains
  useEffect(() => {
    if (p) setPacks((cur) => (Object.keys(cur).length ? cur : Object.fromEntries(p.lines.map((l) => [l.lineNo, l.remainingQuantity]))));
  }, [p]);

  const fill: FillLine[] | null = p
    ? p.lines.filter((l) => (packs[l.lineNo] ?? 0) > 0).map((l) => ({ lineNo: l.lineNo, quantity: packs[l.lineNo] as number }))
    : null;
  const debounced = useDebounced(fill, QUOTE_DELAY_MS);
  const fillable = p ? FILLABLE.has(p.status) : false;
  const quote = useDispenseQuote(fillable && !done ? id : null, debounced);
  const stale = JSON.stringify(fill) !== JSON.stringify(debounced) || quote.isFetching;
  const ready = fillable && fill !== null && fill.length > 0 && !stale && quote.isSuccess;

  if (rx.isPending) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  if (rx.isError || !p) return <Alert type="error" showIcon title={pharmacyErrorLines(rx.error).join('；')} />;

  const submit = () => {
    if (!fill || !fill.length || dispense.isPending) return;
    dispense.mutate(
      { id, key, lines: fill },
      {
        onSuccess: (r) => {
          forgetHandOverKey(id);
          setKey(handOverKey(id));
          setDone(r);
          setPacks({});
          void message.success(t('pharmacy.dispense.success', { fund: (r.settlement.totals.fundPayFen / 100).toFixed(2) }));
        },
      },
    );
  };
  const dispenseError = dispense.isError ? dispense.error : null;
  const short = dispenseError && hasRule(dispenseError, 'out_of_stock') ? outOfStockLines(dispenseError, drugName, t) : [];

  const lineColumns: TableColumnsType<RxLine> = [
    { title: '#', dataIndex: 'lineNo', width: 40 },
    {
      title: t('pharmacy.fields.drug'),
      key: 'drug',
      render: (_: unknown, l) => (
        <div>
          {drugName(l.drugCode)} <span className="rx-muted">{l.strength}</span>
          <div className="rx-muted rx-small">
            {l.dose} {l.unit} · {t(`frequency.${l.frequency}`, { defaultValue: l.frequency })} · {t('rx.daysValue', { days: l.daysSupply })}
          </div>
        </div>
      ),
    },
    { title: t('pharmacy.fields.prescribedPacks'), dataIndex: 'quantity', align: 'right' },
    { title: t('pharmacy.fields.dispensed'), dataIndex: 'dispensedQuantity', align: 'right' },
    {
      title: t('pharmacy.fields.remaining'),
      dataIndex: 'remainingQuantity',
      align: 'right',
      render: (n: number) => <span data-testid="rx-line-remaining">{n}</span>,
    },
    {
      title: t('pharmacy.fields.now'),
      key: 'now',
      width: 130,
      render: (_: unknown, l) => (
        <InputNumber
          min={0}
          max={l.remainingQuantity}
          precision={0}
          disabled={!fillable || l.remainingQuantity === 0 || done !== null}
          value={packs[l.lineNo] ?? 0}
          onChange={(v) => setPacks((cur) => ({ ...cur, [l.lineNo]: v === null ? 0 : Number(v) }))}
          data-testid="rx-line-now"
          suffix={t('pharmacy.packs')}
          style={{ width: 110 }}
        />
      ),
    },
  ];

  return (
    <div className="page-stack" data-testid="rx-fill-desk" data-rx-id={p.id} data-status={p.status}>
      <Card
        size="small"
        title={
          <span>
            <MedicineBoxOutlined /> {p.person.name} <span className="mono rx-muted">{p.person.idNumber}</span>
          </span>
        }
        extra={
          <Button icon={<CloseOutlined />} onClick={onClose} data-testid="rx-fill-close">
            {t('pharmacy.dispense.close')}
          </Button>
        }
      >
        <div className="rx-head">
          <span>
            {t('pharmacy.fields.prescriptionNo')}
            {t('counter.colon')}
            <span className="mono" data-testid="rx-number">
              {p.prescriptionNo}
            </span>
          </span>
          <RxStatusTag status={p.status} />
          <span>
            {t('pharmacy.fields.validUntil')}
            {t('counter.colon')}
            <span className="mono">{p.validUntil}</span>
          </span>
          <span>
            {t('pharmacy.fields.prescriber')}
            {t('counter.colon')}
            {p.institution.name} · {p.doctor}
          </span>
          <FillPlaceText p={p} />
        </div>
        {myInstitution && p.fillInstitution.id !== myInstitution && fillable ? (
          <Alert type="info" showIcon className="rx-gap" title={t('pharmacy.dispense.elsewhere', { place: p.fillInstitution.name })} data-testid="rx-elsewhere" />
        ) : null}
        {!fillable && !done ? (
          <Alert type="warning" showIcon className="rx-gap" title={t('pharmacy.dispense.notFillable', { status: t(`pharmacy.status.${p.status}`) })} data-testid="rx-not-fillable" />
        ) : null}
        <Table<RxLine>
          rowKey="lineNo"
          size="small"
          columns={lineColumns}
          dataSource={p.lines}
          pagination={false}
          className="rx-gap"
          onRow={(l) => ({ 'data-testid': 'rx-fill-line', 'data-line-no': l.lineNo, 'data-remaining': l.remainingQuantity }) as HTMLAttributes<HTMLElement>}
        />
      </Card>

      {done ? (
        <DispenseDone result={done} drugName={drugName} onNext={() => setDone(null)} />
      ) : fillable ? (
        <Card size="small" title={t('pharmacy.dispense.quoteTitle')} data-testid="rx-fill-quote" data-state={ready ? 'ready' : quote.isError ? 'error' : 'waiting'}>
          {!fill?.length ? <Typography.Text type="secondary">{t('pharmacy.dispense.choosePacks')}</Typography.Text> : null}
          {quote.isError && fill?.length ? <Alert type="error" showIcon title={pharmacyErrorLines(quote.error).join('；')} data-testid="rx-quote-error" /> : null}
          {quote.data && fill?.length ? <QuoteSplit q={quote.data.quote} days={quote.data.lines} drugName={drugName} stale={stale} /> : null}
          {dispenseError ? (
            <Alert
              type="error"
              showIcon
              className="rx-gap"
              data-testid={short.length ? 'rx-out-of-stock' : 'rx-dispense-error'}
              title={short.length ? t('pharmacy.dispense.outOfStock') : pharmacyErrorLines(dispenseError).join('；')}
              description={short.length ? short.join('；') : undefined}
            />
          ) : null}
          <div className="rx-actions">
            <Button type="primary" size="large" disabled={!ready} loading={dispense.isPending} onClick={submit} data-testid="rx-dispense">
              {t('pharmacy.dispense.submit')}
            </Button>
          </div>
        </Card>
      ) : null}

      <DispenseList p={p} myInstitution={myInstitution} onTakeBack={setTakeBack} />
      <TakeBackModal target={takeBack} onClose={() => setTakeBack(null)} />
    </div>
  );
}

/** The quote's split per line and in total: 统筹基金 / 个人账户 / 现金. */
function QuoteSplit({ q, days, drugName, stale }: { q: import('../../components/counter/types.ts').Quote; days: Array<{ lineNo: number; daysSupply: number }>; drugName: (c: string) => string; stale: boolean }) {
  const { t } = useTranslation();
  const rows = q.lines;
  const columns: TableColumnsType<(typeof rows)[number]> = [
    { title: t('pharmacy.fields.drug'), key: 'drug', render: (_: unknown, l) => drugName(l.drugCode) },
    { title: t('pharmacy.fields.packs'), dataIndex: 'quantity', align: 'right' },
    { title: t('pharmacy.fields.daysCovered'), key: 'days', align: 'right', render: (_: unknown, l, i) => t('rx.daysValue', { days: days[i]?.daysSupply ?? l.daysSupply }) },
    { title: t('counter.quote.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <Money fen={f} /> },
    { title: t('pharmacy.quote.fund'), dataIndex: 'fundPayFen', align: 'right', render: (f: number) => <Money fen={f} testId="rx-quote-line-fund" /> },
    { title: t('pharmacy.quote.account'), key: 'account', align: 'right', render: () => <Money fen={0} /> },
    { title: t('pharmacy.quote.cash'), key: 'cash', align: 'right', render: (_: unknown, l) => <Money fen={l.amountFen - l.fundPayFen} testId="rx-quote-line-cash" /> },
  ];
  return (
    <div className={stale ? 'rx-quote rx-quote--stale' : 'rx-quote'}>
      <Table rowKey="lineNo" size="small" columns={columns} dataSource={rows} pagination={false} />
      <div className="rx-totals" data-testid="rx-quote-totals">
        <div>
          <span>{t('pharmacy.quote.amount')}</span>
          <Money fen={q.totals.amountFen} unit strong testId="rx-quote-amount" />
        </div>
        <div>
          <span>{t('pharmacy.quote.fund')}</span>
          <Money fen={q.totals.fundPayFen} unit strong testId="rx-quote-fund" />
        </div>
        <div>
          <span>{t('pharmacy.quote.account')}</span>
          <Money fen={0} unit testId="rx-quote-account" />
        </div>
        <div>
          <span>{t('pharmacy.quote.cash')}</span>
          <Money fen={q.totals.selfPayFen} unit strong testId="rx-quote-cash" />
        </div>
      </div>
    </div>
  );
}

/** After 发药并结算: what was handed over (batch, expiry) and the receipt. */
function DispenseDone({ result, drugName, onNext }: { result: DispenseResult; drugName: (c: string) => string; onNext: () => void }) {
  const { t } = useTranslation();
  const d = result.prescription.dispenses.find((x) => x.id === result.dispenseId);
  return (
    <Card
      size="small"
      title={t('pharmacy.dispense.doneTitle')}
      data-testid="rx-dispense-done"
      data-dispense-id={result.dispenseId}
      extra={
        <Space className="no-print">
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('pharmacy.dispense.print')}
          </Button>
          {FILLABLE.has(result.prescription.status) ? <Button onClick={onNext}>{t('pharmacy.dispense.again')}</Button> : null}
        </Space>
      }
    >
      {result.replayed ? <Alert type="info" showIcon className="rx-gap" title={t('pharmacy.dispense.replayed')} /> : null}
      <Table
        rowKey={(l) => `${l.prescriptionLineNo}-${l.batchNo}`}
        size="small"
        className="rx-gap no-print"
        pagination={false}
        dataSource={d?.lines ?? []}
        onRow={(l) => ({ 'data-testid': 'rx-handed-batch', 'data-batch-no': l.batchNo }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('pharmacy.fields.drug'), key: 'drug', render: (_: unknown, l) => drugName(l.drugCode) },
          { title: t('pharmacy.fields.batchNo'), dataIndex: 'batchNo', render: (b: string) => <span className="mono">{b}</span> },
          { title: t('pharmacy.fields.expiryDate'), dataIndex: 'expiryDate', render: (b: string) => <span className="mono">{b}</span> },
          { title: t('pharmacy.fields.packs'), dataIndex: 'quantity', align: 'right' },
        ]}
      />
      <Receipt settlement={result.settlement as Settlement} />
    </Card>
  );
}

function DispenseList({ p, myInstitution, onTakeBack }: { p: Prescription; myInstitution: string | null; onTakeBack: (d: RxDispense) => void }) {
  const { t } = useTranslation();
  if (!p.dispenses.length) return null;
  const columns: TableColumnsType<RxDispense> = [
    { title: t('pharmacy.fields.dispensedAt'), dataIndex: 'dispensedAt', render: (at: string) => <span className="mono">{formatDateTime(at)}</span> },
    {
      title: t('pharmacy.fields.place'),
      key: 'place',
      render: (_: unknown, d) => (
        <div>
          {d.institution.name}
          <div className="rx-muted rx-small">{d.by}</div>
        </div>
      ),
    },
    {
      title: t('pharmacy.fields.batches'),
      key: 'batches',
      render: (_: unknown, d) => (
        <div className="rx-small">
          {d.lines.map((l, i) => (
            <div key={i}>
              #{l.prescriptionLineNo} <span className="mono">{l.batchNo}</span> · {l.expiryDate} · {t('pharmacy.packsShort', { count: l.quantity })}
            </div>
          ))}
        </div>
      ),
    },
    { title: t('counter.receipt.number'), dataIndex: 'settlementNo', render: (n: string) => <span className="mono rx-small">{n}</span> },
    { title: t('counter.quote.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <Money fen={f} /> },
    { title: t('pharmacy.quote.fund'), dataIndex: 'fundPayFen', align: 'right', render: (f: number) => <Money fen={f} /> },
    {
      title: t('pharmacy.fields.status'),
      key: 'status',
      render: (_: unknown, d) =>
        d.status === 'returned' ? (
          <div>
            <Tag>{t('pharmacy.dispense.returnedTag')}</Tag>
            <div className="rx-muted rx-small">{d.returnReason}</div>
          </div>
        ) : d.institution.id === myInstitution ? (
          <Button size="small" danger icon={<RollbackOutlined />} onClick={() => onTakeBack(d)} data-testid="rx-take-back">
            {t('pharmacy.dispense.takeBack')}
          </Button>
        ) : (
          <Tag color="green">{t('pharmacy.dispense.dispensedTag')}</Tag>
        ),
    },
  ];
  return (
    <Card size="small" title={t('pharmacy.dispense.listTitle')} data-testid="rx-dispenses">
      <Table<RxDispense>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={p.dispenses}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(d) => ({ 'data-testid': 'rx-dispense-row', 'data-dispense-id': d.id, 'data-status': d.status }) as HTMLAttributes<HTMLElement>}
      />
    </Card>
  );
}

function TakeBackModal({ target, onClose }: { target: RxDispense | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const takeBack = useTakeBack();
  const [alert, setAlert] = useState<string[]>([]);
  const submit = async () => {
    if (!target) return;
    let v: { reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await takeBack.mutateAsync({ id: target.id, reason: v.reason.trim() });
      void message.success(t('pharmacy.dispense.takenBack'));
      onClose();
    } catch (error) {
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? pharmacyErrorLines(error) : []);
    }
  };
  return (
    <Modal
      open={target !== null}
      title={t('pharmacy.dispense.takeBackTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('pharmacy.dispense.takeBack')}
      okButtonProps={{ danger: true, 'data-testid': 'rx-take-back-confirm' }}
      confirmLoading={takeBack.isPending}
      destroyOnHidden
    >
      {target ? (
        <Typography.Paragraph>
          {t('pharmacy.dispense.takeBackHint', { no: target.settlementNo, amount: (target.amountFen / 100).toFixed(2), fund: (target.fundPayFen / 100).toFixed(2) })}
        </Typography.Paragraph>
      ) : null}
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} className="rx-gap" /> : null}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reason" label={t('pharmacy.dispense.takeBackReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('pharmacy.review.returnReasonRequired') }]}>
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="rx-take-back-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
