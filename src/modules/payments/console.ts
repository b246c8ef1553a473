// What `manbing payments` prints, here so the CLI and the running server's control channel print the same:
// each model's figures per provider (yuan), or with --json the object GET /api/payments answers; --verify
// recomputes a stored run from its own inputs and says whether the fen are the same.
import { type Actor, writeAudit } from '../../core/audit';
import type { Database } from '../../db/connect';
import { textWidth } from '../../core/textWidth';
import { formatYuan } from '../../engine/money';
import { verify, storedRun } from './runs';
import { paymentRunOf, PaymentQueryError, reportOf, type PaymentReport } from './service';

export interface PaymentsOptions { year?: string; quarter?: string; county?: string; json?: boolean; verify?: string }

export function paymentsQueryOf(o: PaymentsOptions): { error: string } | { verify: string } | { year: number; quarter?: number; county?: string } {
  if (o.verify !== undefined) return /^[0-9a-f-]{36}$/.test(o.verify) ? { verify: o.verify } : { error: `--verify takes a run id (a UUID), got "${o.verify}"` };
  if (o.year === undefined || !/^[0-9]{4}$/.test(o.year) || Number(o.year) < 2000 || Number(o.year) > 2100) return { error: `--year must be a year between 2000 and 2100, got "${o.year ?? ''}"` };
  if (o.quarter !== undefined && !/^[1-4]$/.test(o.quarter)) return { error: `--quarter must be 1, 2, 3 or 4, got "${o.quarter}"` };
  if (o.county !== undefined && !/^[0-9]{6}$/.test(o.county)) return { error: `--county must be a 6-digit county code, got "${o.county}"` };
  return { year: Number(o.year), ...(o.quarter ? { quarter: Number(o.quarter) } : {}), ...(o.county ? { county: o.county } : {}) };
}

const y = (fen: number | null | undefined) => (fen === null || fen === undefined ? '—' : formatYuan(fen));
const pct = (r: { numerator: number; denominator: number }) => (r.denominator ? `${((r.numerator * 100) / r.denominator).toFixed(1)}%` : '—');

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, c) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[c]))));
  const pad = (v: string, c: number) => (c === 0 ? v + ' '.repeat(widths[c] - textWidth(v)) : ' '.repeat(widths[c] - textWidth(v)) + v);
  return [head, ...rows].map((r) => r.map(pad).join('  '));
}

export function reportLines(r: PaymentReport): string[] {
  const res = r.results;
  return [
    `Payments ${r.period.start} – ${r.period.as_of} (run ${r.run.id}${r.run.reused ? ', the stored run of the same inputs' : ', new'}; rules ${r.run.version}; parameters ${r.parameters.id}; ${r.period.complete_months} complete months)`,
    '', '按人头打包付费 capitation (year to date, net of the smart audit\'s recoveries; year end actual or at the run rate)',
    ...table(['township', 'insured', 'package', 'drawn (net)', 'recovered', 'balance', 'year-end balance', 'retained', 'overrun centre', 'referral pool', 'referral drawn', 'HT control'],
      res.capitation.map((c) => [c.town_name, String(c.insured), y(c.package_fen), y(c.package_cost_fen), y(c.package_recovered_fen), y(c.balance_fen), y(c.year_end?.balance_fen), y(c.year_end?.retained_fen), y(c.year_end?.overrun_centre_fen), y(c.referral_pool_fen), y(c.referral_cost_fen), pct(c.control.hypertension)])),
    '', '医共体总额预算 total budget (projection: complete months × 12 ÷ months) and 罗湖 saving',
    ...table(['community', 'budget', 'spent (net)', 'recovered', 'long rx (outside)', 'projected', 'projected balance', 'contracted', 'cost this year', 'same days last year', 'saving paid'],
      res.budget.map((b) => [b.name, y(b.budget_fen), y(b.spent_fen), y(b.recovered_fen), y(b.long_rx_allowance_fen), y(b.projected_fen), y(b.projected_balance_fen), String(b.luohu.contracted), y(b.luohu.this_year_fen), y(b.luohu.last_year_fen), y(b.luohu.paid_fen)])),
    '', '签约服务费 contract fee (the period\'s months)',
    ...table(['team', 'institution', 'resident-months', 'base', 'score', 'share', 'fee'],
      res.contract_fee.map((f) => [f.name, f.institution_name, String(f.resident_months), y(f.base_fen), (f.score / 100).toFixed(2), `${(f.share_bp / 100).toFixed(2)}%`, y(f.fee_fen)])),
    '', '标化工作当量 work equivalents (the period)',
    ...table(['team', 'institution', 'equivalents', 'value'], res.work_equivalent.map((w) => [w.name, w.institution_name, (w.equivalents_milli / 1000).toFixed(3), y(w.value_fen)])),
    '', '机构汇总 what each institution is owed (contract fee + work equivalents + a pilot centre\'s year-end retained − its overrun share)',
    ...table(['institution', 'teams', 'contract fee', 'work equivalents', 'retained', 'overrun borne', 'owed'],
      res.providers.map((p) => [p.institution_name, String(p.teams), y(p.contract_fee_fen), y(p.work_equivalent_fen), y(p.capitation?.retained_fen), y(p.capitation?.overrun_centre_fen), y(p.total_fen)])),
    '', `totals: contract fee ${y(res.totals.contract_fee_fen)}, work equivalents ${y(res.totals.work_equivalent_fen)}, Luohu saving paid ${y(res.totals.luohu_paid_fen)}, long-prescription allowance ${y(res.totals.long_rx_allowance_fen)}, recovered by the smart audit ${y(res.totals.budget_recovered_fen)} (budget) / ${y(res.totals.capitation_recovered_fen)} (capitation)`,
  ];
}

export async function paymentsLines(db: Database, actor: Actor, o: PaymentsOptions, now: Date): Promise<{ exitCode: number; lines: string[] }> {
  const q = paymentsQueryOf(o);
  if ('error' in q) return { exitCode: 2, lines: [q.error] };
  if ('verify' in q) {
    const run = await storedRun(db, q.verify);
    if (!run) return { exitCode: 2, lines: [`no payment run ${q.verify}`] };
    const v = verify(run);
    await writeAudit(db, actor, [{ action: 'read', entity: 'payments', entityId: run.id, detail: { verify: true, via: 'cli' } }]);
    if (o.json) return { exitCode: v.same ? 0 : 1, lines: [JSON.stringify({ ...reportOf(run, true), verification: v })] };
    return { exitCode: v.same ? 0 : 1, lines: [v.same ? `run ${run.id} (${run.year}${run.quarter ? ` Q${run.quarter}` : ''}, as of ${run.as_of}): recomputed from its stored inputs, the same fen${v.hashSame ? ' and the same hash' : ''}` : `run ${run.id}: recomputed, ${v.differences.join(', ')} differ`] };
  }
  let answer;
  try {
    answer = await paymentRunOf(db, actor, q, now);
  } catch (e) {
    if (e instanceof PaymentQueryError) return { exitCode: 2, lines: [`--${e.field}: ${e.message}`] };
    throw e;
  }
  await writeAudit(db, actor, [{ action: 'read', entity: 'payments', entityId: answer.run.id, detail: { year: q.year, quarter: q.quarter ?? null, county: q.county ?? null, via: 'cli' } }]);
  const report = reportOf(answer.run, answer.reused, q.county);
  return { exitCode: 0, lines: o.json ? [JSON.stringify(report)] : reportLines(report) };
}
