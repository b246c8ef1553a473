// 结算台 (/settlements): the pharmacist's counter — find the patient, enter the drugs, quote (试算),
// settle (结算) once per purchase, print the receipt (结算单, /settlements/:id), reverse (冲正/退费).
// Roles that do not settle (the agency's reviewer, administrators) see the patient's claims only.
import { useEffect, useState } from 'react';
import { Route, Routes } from 'react-router-dom';
import { useMe } from '../auth.ts';
import { newIdempotencyKey } from '../components/counter/api.ts';
import CounterDesk, { type Purchase } from '../components/counter/CounterDesk.tsx';
import DayList from '../components/counter/DayList.tsx';
import ReceiptView from '../components/counter/ReceiptView.tsx';
import { todayIso } from '../format.ts';
import type { Role } from '../types.ts';
import { NotFoundPage } from './StatusPages.tsx';

/** Roles the API lets settle: a pharmacy's or a clinic's counter. */
const SETTLING_ROLES: readonly Role[] = ['pharmacist', 'family_doctor'];

const freshPurchase = (personId: string | null): Purchase => ({ personId, lines: [], key: newIdempotencyKey() });

// The purchase in hand also survives a reload of the tab (not the tab itself): an attempt whose answer
// was lost keeps its idempotency key, so settling it again after a reload still cannot pay twice.
const STORAGE_KEY = 'manbing.counter.purchase';

function storedPurchase(): Purchase {
  try {
    const p = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Purchase | null;
    if (p && typeof p.key === 'string' && p.key.length >= 8 && Array.isArray(p.lines)) return p;
  } catch {
    // unreadable: start afresh
  }
  return freshPurchase(null);
}

function storePurchase(p: Purchase): void {
  try {
    if (p.lines.length) window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(p));
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // private mode: the purchase lasts for this page only
  }
}

export default function CounterPage() {
  const me = useMe().data;
  const canSettle = me ? SETTLING_ROLES.includes(me.role) : false;
  const counterName = me?.scope.kind === 'institution' ? me.scope.name : null;
  // The purchase in hand lives here, above the nested routes, so that opening a receipt and coming
  // back keeps the lines and, above all, the purchase's idempotency key.
  const [purchase, setPurchase] = useState<Purchase>(storedPurchase);
  useEffect(() => storePurchase(purchase), [purchase]);

  const counterPath = (personId: string | null) => (personId ? `/settlements?person=${encodeURIComponent(personId)}` : '/settlements');

  return (
    <Routes>
      <Route
        index
        element={
          <CounterDesk
            canSettle={canSettle}
            canOpenReceipt={me !== undefined}
            counterName={counterName}
            purchase={purchase}
            onLines={(personId, lines) =>
              // another patient: a new purchase with its own key
              setPurchase((p) => (p.personId === personId ? { ...p, lines } : { ...freshPurchase(personId), lines }))
            }
            onSettled={(s) => setPurchase(freshPurchase(s.person.id))}
            onNewPurchase={() => setPurchase((p) => ({ ...p, key: newIdempotencyKey() }))}
          />
        }
      />
      <Route path="day" element={<DayList today={todayIso()} />} />
      <Route path=":id" element={<ReceiptView canReverse={canSettle} counterPath={counterPath} />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
