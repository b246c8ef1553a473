// Finds the payment parameters in force for a year: the files of policies/payments/ (or MANBING_POLICIES_DIR's
// payments/), validated by the engine; the latest whose effective_from falls on or before the year's last day.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policiesDir } from '../../core/policyFiles';
import { loadPaymentParameters, type PaymentParameters } from '../../engine/payment/parameters';

export const paymentsDir = () => join(policiesDir(), 'payments');

export function listPaymentParameters(dir = paymentsDir()): PaymentParameters[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/i.test(f)).sort()
    .map((f) => loadPaymentParameters(readFileSync(join(dir, f), 'utf8'), f));
}

export function parametersFor(year: number, dir = paymentsDir()): PaymentParameters | null {
  const inForce = listPaymentParameters(dir).filter((p) => p.effective_from <= `${year}-12-31`);
  return inForce.sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1))[0] ?? null;
}
