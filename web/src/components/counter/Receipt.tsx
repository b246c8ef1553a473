// 结算单: one claim as it is printed for the patient — institution, patient (ID masked by the server),
// lines with their split, fund and self-pay totals in yuan, the remaining annual limit, the settlement
// number and time; a reversed claim carries a 已冲正 stamp with its reason. Print styles: counter.css.
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { drugName, yuan } from '../../format.ts';
import type { Drug } from '../../types.ts';
import { explanationText } from './LineExplanation.tsx';
import { lineSelfPay, percent, remainingLimit } from './money.tsx';
import type { Settlement } from './types.ts';
import './counter.css';

const time = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

export default function Receipt({ settlement: s, byCode }: { settlement: Settlement; byCode?: Map<string, Drug> }) {
  const { t } = useTranslation();
  const remaining = remainingLimit(s.lines);
  const reversed = s.status === 'reversed';
  const reversal = s.history.find((h) => h.to === 'reversed');
  const settledBy = s.history.find((h) => h.to === 'settled')?.by ?? null;

  return (
    <article className={`counter-receipt${reversed ? ' counter-receipt--reversed' : ''}`} data-testid="receipt" data-status={s.status} data-claim-id={s.id}>
      <header className="counter-receipt__head">
        <div className="counter-receipt__institution" data-testid="receipt-institution">
          {s.institution.name}
        </div>
        <h1 className="counter-receipt__title">{t('counter.receipt.title')}</h1>
        <div className="counter-receipt__subtitle">{t('counter.receipt.subtitle')}</div>
        {reversed ? (
          <div className="counter-receipt__stamp" data-testid="receipt-reversed-stamp">
            {t('counter.status.reversed')}
          </div>
        ) : null}
      </header>

      <dl className="counter-receipt__meta">
        <div>
          <dt>{t('counter.receipt.number')}</dt>
          <dd className="mono" data-testid="receipt-number">
            {s.settlementNo}
          </dd>
        </div>
        <div>
          <dt>{t('counter.receipt.settledAt')}</dt>
          <dd className="mono" data-testid="receipt-settled-at">
            {time(s.settledAt)}
          </dd>
        </div>
        <div>
          <dt>{t('counter.receipt.institutionCode')}</dt>
          <dd className="mono" data-testid="receipt-institution-code">
            {s.institution.code ?? '—'}
          </dd>
        </div>
        <div>
          <dt>{t('counter.receipt.patient')}</dt>
          <dd data-testid="receipt-person-name">{s.person.name}</dd>
        </div>
        <div>
          <dt>{t('person.fields.idNumber')}</dt>
          <dd className="mono" data-testid="receipt-person-id">
            {s.person.idNumber}
          </dd>
        </div>
        <div>
          <dt>{t('person.fields.insuranceType')}</dt>
          <dd>{t(`person.insurance.${s.insuranceType}`, { defaultValue: s.insuranceType })}</dd>
        </div>
        <div>
          <dt>{t('counter.receipt.serviceDate')}</dt>
          <dd className="mono">{s.serviceDate}</dd>
        </div>
        <div>
          <dt>{t('counter.receipt.level')}</dt>
          <dd>{t(`counter.level.${s.institution.level}`, { defaultValue: s.institution.level })}</dd>
        </div>
        <div>
          <dt>{t('counter.receipt.policy')}</dt>
          <dd data-testid="receipt-policy">{s.policy?.name ?? s.policyId}</dd>
        </div>
      </dl>

      <table className="counter-receipt__lines" data-testid="receipt-lines">
        <thead>
          <tr>
            <th>#</th>
            <th>{t('counter.cart.drug')}</th>
            <th className="num">{t('counter.receipt.qty')}</th>
            <th className="num">{t('counter.cart.unitPrice')}</th>
            <th className="num">{t('counter.quote.amount')}</th>
            <th className="num">{t('counter.quote.fund')}</th>
            <th className="num">{t('counter.quote.selfPay')}</th>
            <th className="num">{t('counter.quote.ratio')}</th>
          </tr>
        </thead>
        <tbody>
          {s.lines.map((l) => {
            const d = byCode?.get(l.drugCode);
            return (
              <tr key={l.lineNo} data-testid="receipt-line" data-line-no={l.lineNo} data-fund-fen={l.fundPayFen}>
                <td>{l.lineNo}</td>
                <td>
                  <div>
                    {d ? drugName(d) : l.drugName} <span className="counter-receipt__muted">{l.strength}</span>
                  </div>
                  <div className="counter-receipt__why">
                    {t(`counter.benefit.${l.benefit}`, { defaultValue: l.benefit })}{t('counter.colon')}{explanationText(l, t)}
                  </div>
                </td>
                <td className="num">
                  {t('counter.receipt.qtyValue', { quantity: l.quantity, days: l.daysSupply })}
                </td>
                <td className="num mono">{yuan(l.unitPriceFen)}</td>
                <td className="num mono">{yuan(l.amountFen)}</td>
                <td className="num mono">{yuan(l.fundPayFen)}</td>
                <td className="num mono">{yuan(lineSelfPay(l))}</td>
                <td className="num mono">{percent(l.ratioBp)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>

      <table className="counter-receipt__totals">
        <tbody>
          <tr>
            <th>{t('counter.quote.amountTotal')}</th>
            <td className="mono" data-testid="receipt-amount" data-fen={s.totals.amountFen}>
              {t('counter.yuanValue', { value: yuan(s.totals.amountFen) })}
            </td>
            <th>{t('counter.quote.fundTotal')}</th>
            <td className="mono counter-receipt__big" data-testid="receipt-fund" data-fen={s.totals.fundPayFen}>
              {t('counter.yuanValue', { value: yuan(s.totals.fundPayFen) })}
            </td>
          </tr>
          <tr>
            <th>{t('counter.quote.selfTotal')}</th>
            <td className="mono counter-receipt__big" data-testid="receipt-self" data-fen={s.totals.selfPayFen}>
              {t('counter.yuanValue', { value: yuan(s.totals.selfPayFen) })}
            </td>
            <th>{t('counter.receipt.ofWhich')}</th>
            <td className="mono counter-receipt__wrap">
              {t('counter.quote.deductible')} {yuan(s.totals.deductibleFen)} · {t('counter.quote.copay')} {yuan(s.totals.copayFen)} ·{' '}
              {t('counter.quote.overLimit')} {yuan(s.totals.overLimitFen)}
            </td>
          </tr>
          <tr data-testid="receipt-payers">
            <th>{t('counter.receipt.payers')}</th>
            <td className="mono counter-receipt__wrap" colSpan={3}>
              <span data-testid="receipt-pay-fund" data-fen={s.payers.fundFen}>
                {t('counter.receipt.payFund')} {t('counter.yuanValue', { value: yuan(s.payers.fundFen) })}
              </span>
              {/* no shipped policy draws on the employee's personal account: the line shows only when it does */}
              {s.payers.accountFen !== 0 ? (
                <span data-testid="receipt-pay-account" data-fen={s.payers.accountFen}>
                  {' · '}
                  {t('counter.receipt.payAccount')} {t('counter.yuanValue', { value: yuan(s.payers.accountFen) })}
                </span>
              ) : null}
              {' · '}
              <span data-testid="receipt-pay-cash" data-fen={s.payers.cashFen}>
                {t('counter.receipt.payCash')} {t('counter.yuanValue', { value: yuan(s.payers.cashFen) })}
              </span>
            </td>
          </tr>
          <tr>
            <th>{t('counter.receipt.remaining')}</th>
            <td className="mono" data-testid="receipt-remaining" data-fen={remaining?.after ?? ''}>
              {remaining ? t('counter.yuanValue', { value: yuan(remaining.after) }) : '—'}
            </td>
            <th>{t('counter.receipt.criticalIllness')}</th>
            <td className="mono">{t('counter.yuanValue', { value: yuan(s.totals.criticalIllnessFen) })}</td>
          </tr>
        </tbody>
      </table>

      {reversed ? (
        <section className="counter-receipt__reversal" data-testid="receipt-reversal">
          <strong>{t('counter.receipt.reversedNote')}</strong> {t('counter.receipt.reversedAt')}{t('counter.colon')}<span className="mono">{time(s.reversedAt)}</span>
          {reversal?.by ? ` · ${t('counter.receipt.by')}${t('counter.colon')}${reversal.by}` : ''} · {t('counter.reverse.reason')}{t('counter.colon')}
          <span data-testid="receipt-reversal-reason">{s.reversalReason ?? '—'}</span>
        </section>
      ) : null}

      <Adjustments s={s} />

      <footer className="counter-receipt__foot">
        <span>
          {t('counter.receipt.cashier')}{t('counter.colon')}{settledBy ?? '________'}
        </span>
        <span>{t('counter.receipt.patientSign')}{t('counter.colon')}________________</span>
        <span className="counter-receipt__muted">
          {t('counter.receipt.printedAt', { time: dayjs().format('YYYY-MM-DD HH:mm') })}
        </span>
      </footer>
    </article>
  );
}

/** 补扣/补付: what re-settling the person's year changed on this claim, or on the others after its reversal. */
function Adjustments({ s }: { s: Settlement }) {
  const { t } = useTranslation();
  const signed = (fen: number) => `${fen > 0 ? '+' : ''}${yuan(fen)}`;
  if (s.adjustments.length === 0 && s.caused.length === 0 && s.netToPatientFen === null) return null;
  return (
    <section className="counter-receipt__adjustments" data-testid="receipt-adjustments">
      {s.adjustments.length || s.caused.length ? <strong>{t('counter.receipt.adjustments')}</strong> : null}
      {s.adjustments.map((a, i) => (
        <div key={`a${i}`} data-testid="receipt-adjustment" data-fen={a.fundPayFen}>
          {t('counter.receipt.adjustedBy', { date: a.serviceDate, cause: t(`counter.receipt.cause_${a.cause}`), delta: signed(a.fundPayFen) })}
        </div>
      ))}
      {s.adjustments.length ? (
        <div>
          {t('counter.receipt.fundNow')}
          {t('counter.colon')}
          <span className="mono">{t('counter.yuanValue', { value: yuan(s.fundPayNowFen) })}</span>
        </div>
      ) : null}
      {s.caused.length ? <div>{t('counter.receipt.causedTitle')}</div> : null}
      {s.caused.map((a, i) => (
        <div key={`c${i}`} data-testid="receipt-caused" data-fen={a.fundPayFen}>
          {t('counter.receipt.causedRow', { date: a.serviceDate, delta: signed(a.fundPayFen), kind: t(a.fundPayFen > 0 ? 'counter.receipt.refund' : 'counter.receipt.owe') })}
        </div>
      ))}
      {s.netToPatientFen !== null ? (
        <div className="counter-receipt__big" data-testid="receipt-net" data-fen={s.netToPatientFen}>
          {s.netToPatientFen >= 0
            ? t('counter.receipt.netRefund', { value: yuan(s.netToPatientFen) })
            : t('counter.receipt.netOwe', { value: yuan(-s.netToPatientFen) })}
        </div>
      ) : null}
    </section>
  );
}
