// The counter itself (结算台): find the patient, see their benefit and continuous prescription, enter
// the drug lines, watch the quote (试算) follow the lines, settle (结算), and see this year's claims.
// The patient and the search live in the URL (?q=&person=); the purchase is held by CounterPage so
// that it survives a look at a receipt.
import { CalendarOutlined, CloseOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, api } from '../../api.ts';
import { todayIso, yuan } from '../../format.ts';
import { useEligibility } from '../../hooks/reference.ts';
import type { PersonDetail } from '../../types.ts';
import EligibilityPanel from '../EligibilityPanel.tsx';
import PatientCard from '../PatientCard.tsx';
import { counterErrorLines, lineIndexOf, useCounterDrugs, useDebounced, useQuote } from './api.ts';
import CartEditor, { type LineField } from './CartEditor.tsx';
import ClaimsList from './ClaimsList.tsx';
import PatientFinder from './PatientFinder.tsx';
import QuotePanel from './QuotePanel.tsx';
import SettleBar from './SettleBar.tsx';
import type { CartLine, ClaimInput, Settlement } from './types.ts';
import './counter.css';
import { useUrlState } from '../../hooks/urlState.ts';

export interface Purchase {
  personId: string | null;
  lines: CartLine[];
  /** The idempotency key of this purchase: made once, kept across every retry, replaced only after it settled. */
  key: string;
}

const QUOTE_DELAY_MS = 350;
const LINE_FIELDS: readonly LineField[] = ['drugCode', 'quantity', 'daysSupply'];

/** The claim the lines describe, or null while a line lacks its drug or packs. */
function claimOf(personId: string | null, lines: CartLine[]): ClaimInput | null {
  if (!personId || lines.length === 0) return null;
  if (lines.some((l) => !l.drugCode || !l.quantity || l.quantity < 1)) return null;
  return {
    personId,
    lines: lines.map((l) => ({ drugCode: l.drugCode!, quantity: l.quantity!, ...(l.daysSupply ? { daysSupply: l.daysSupply } : {}) })),
  };
}

export default function CounterDesk({
  canSettle,
  canOpenReceipt,
  counterName,
  purchase,
  onLines,
  onSettled,
  onNewPurchase,
}: {
  canSettle: boolean;
  canOpenReceipt: boolean;
  counterName: string | null;
  purchase: Purchase;
  onLines: (personId: string, lines: CartLine[]) => void;
  onSettled: (s: Settlement) => void;
  onNewPurchase: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, update] = useUrlState();
  const q = (params.get('q') ?? '').trim();
  const personId = params.get('person');

  const person = useQuery({
    queryKey: ['people', 'detail', personId],
    queryFn: ({ signal }) => api<PersonDetail>(`/api/people/${encodeURIComponent(personId ?? '')}`, { signal }),
    enabled: personId !== null,
  });
  const eligibility = useEligibility(personId, todayIso());
  const drugs = useCounterDrugs();
  const byCode = useMemo(() => new Map((drugs.data ?? []).map((d) => [d.code, d])), [drugs.data]);

  // the purchase in hand belongs to one patient; another patient starts with an empty one
  const lines = purchase.personId === personId ? purchase.lines : [];
  const input = useMemo(() => claimOf(personId, lines), [personId, lines]);
  const debounced = useDebounced(input, QUOTE_DELAY_MS);
  const quote = useQuote(canSettle ? debounced : null);
  const changed = JSON.stringify(input) !== JSON.stringify(debounced);
  const stale = changed || quote.isPlaceholderData;
  const ready = input !== null && !stale && !quote.isFetching && quote.isSuccess;

  const quoteError = input && !changed && quote.isError ? quote.error : null;
  const lineErrors = new Map<number, Set<LineField>>();
  if (quoteError instanceof ApiError) {
    for (const e of quoteError.problem.errors ?? []) {
      const i = lineIndexOf(e.field);
      const field = LINE_FIELDS.find((f) => e.field.endsWith(`.${f}`));
      if (i !== null) lineErrors.set(i, new Set([...(lineErrors.get(i) ?? []), field ?? 'drugCode']));
    }
  }
  const waiting = lines.length === 0 ? t('counter.quote.addLines') : input === null ? t('counter.quote.incomplete') : null;

  // 日结: the counter's own institution's list of the day
  const dayLink = canSettle ? (
    <div className="counter-day-link">
      <Link to="/settlements/day" data-testid="counter-day-link">
        <Button icon={<CalendarOutlined />}>{t('counter.day.open')}</Button>
      </Link>
    </div>
  ) : null;

  if (!personId) {
    return (
      <div className="page-stack">
        {dayLink}
        {canSettle ? null : <Alert type="info" showIcon title={t('counter.readOnly')} />}
        <PatientFinder q={q} onSearch={(query) => update({ q: query, person: null })} onPick={(p) => update({ person: p.id })} />
      </div>
    );
  }

  const name = person.data?.name ?? '';
  return (
    <div className="page-stack counter-desk">
      <PatientCard
        person={person.data}
        loading={person.isPending}
        title={t('counter.patient')}
        extra={
          <span className="counter-desk__extra">
            {dayLink}
            <Button icon={<CloseOutlined />} onClick={() => update({ person: null })} data-testid="counter-change-patient">
              {t('counter.changePatient')}
            </Button>
          </span>
        }
      />
      {person.isError ? <Alert type="error" showIcon title={counterErrorLines(person.error).join('；')} /> : null}
      {canSettle ? null : <Alert type="info" showIcon title={t('counter.readOnly')} />}
      <Row gutter={[16, 16]}>
        {canSettle ? (
          <Col xs={24} xl={16}>
            <div className="page-stack">
              <Card
                size="small"
                title={
                  <span>
                    <ShoppingCartOutlined /> {t('counter.cart.title')}
                  </span>
                }
              >
                <CartEditor
                  lines={lines}
                  onChange={(next) => onLines(personId, next)}
                  drugs={drugs.data ?? []}
                  drugsLoading={drugs.isPending}
                  registeredDiseases={(eligibility.data?.registrations ?? []).map((r) => r.disease)}
                  prescription={eligibility.data?.prescription ?? []}
                  lineErrors={lineErrors}
                />
              </Card>
              {/* the settle bar comes before the quote: stuck to the bottom of the screen it can cover only
                  the cart above it, never the quote, which starts below the bar's own place (issue 13) */}
              <SettleBar
                input={input}
                quote={ready ? quote.data : undefined}
                ready={ready}
                purchaseKey={purchase.key}
                onNewPurchase={onNewPurchase}
                onSettled={(s) => {
                  void message.success(t('counter.settle.success', { fund: yuan(s.totals.fundPayFen) }));
                  onSettled(s);
                  navigate(`/settlements/${s.id}`);
                }}
              />
              <QuotePanel
                quote={input ? quote.data : undefined}
                fetching={quote.isFetching}
                stale={stale}
                errorLines={quoteError ? counterErrorLines(quoteError) : []}
                waiting={waiting}
                byCode={byCode}
              />
            </div>
          </Col>
        ) : null}
        <Col xs={24} xl={canSettle ? 8 : 24}>
          <div className={canSettle ? 'page-stack counter-side' : 'page-stack'}>
            <EligibilityPanel key={personId} personId={personId} showPrescription={!canSettle} />
            <ClaimsList
              personId={personId}
              personName={name}
              canReverse={canSettle}
              canOpenReceipt={canOpenReceipt}
              counterName={counterName}
              receiptPath={(id) => `/settlements/${id}`}
            />
          </div>
        </Col>
      </Row>
    </div>
  );
}
