// The demo city's smart-audit review (issue 15), after its audit has run: each county's reviewer has
// confirmed a third of the findings with deductions (against the institution, or the doctor where one is
// named) and dismissed a sixth with a reason, leaving the rest open; the first county's reviewer has closed a
// sample of last month's unflagged claims and has one of this month's open, half reviewed. It goes
// through the review's own use cases, so events, audit rows and the fixed deduction are as a reviewer's.
import { addDays, addMonths } from '../../engine/calendar';
import { loadConfig } from '../../config';
import type { Actor } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { PolicyBook } from '../../core/policyBook';
import type { Database } from '../../db/connect';
import * as review from '../auditReview/service';

const CONFIRM_PER_COUNTY = 4;
const DISMISS_PER_COUNTY = 2;
const DISMISS_REASONS = ['经核实为出院带药，属合理用药', '患者外出探亲，提前配药已备案'];

async function reviewers(db: Database): Promise<Actor[]> {
  const rows = await db.selectFrom('app_user as u').innerJoin('region as r', 'r.code', 'u.region_code')
    .select(['u.id', 'u.username', 'u.display_name', 'u.region_code', 'r.name as region_name'])
    .where('u.role', '=', 'insurance_reviewer').where('u.demo', '=', true).orderBy('u.username').execute();
  return rows.map((r) => ({
    user: {
      id: r.id, username: r.username, displayName: r.display_name, role: 'insurance_reviewer',
      scope: { kind: 'county', id: r.region_code, name: r.region_name, regionPrefix: r.region_code },
      practitionerId: null, teamId: null, institutionId: null, personId: null, deliveryProviderId: null, mustChangePassword: false,
    },
    ip: null,
  }));
}

/** The first day of the month before the date's month, and the last day of it. */
function lastMonth(asOf: string) {
  const thisMonth = `${asOf.slice(0, 8)}01`;
  return { from: addMonths(thisMonth, -1), to: addDays(thisMonth, -1), thisMonth };
}

export async function loadDemoAuditReview(db: Database, options: { asOf: string; seed: number }) {
  // decided in the morning of the demo's day (10:00 Beijing)
  const ctx: AppContext = { db, config: loadConfig({}), now: () => new Date(`${options.asOf}T02:00:00Z`), policies: PolicyBook.load() };
  const actors = await reviewers(db);
  for (const actor of actors) {
    const county = actor.user.scope.regionPrefix!;
    // in finding_key order: the same findings every time the same city is loaded; about half stay open for the reviewer
    const open = await db.selectFrom('audit_finding').select(['id', 'amount_fen', 'doctor_id'])
      .where('county_code', 'like', `${county}%`).where('status', '=', 'open').orderBy('finding_key').execute();
    const confirm = Math.min(CONFIRM_PER_COUNTY, Math.ceil(open.length / 3));
    const dismiss = Math.min(DISMISS_PER_COUNTY, Math.floor(open.length / 6));
    for (const [i, f] of open.slice(0, confirm).entries()) {
      const against = f.doctor_id && i % 2 === 1 ? 'doctor' : 'institution';
      await review.confirmFinding(ctx, actor, f.id, { deductionFen: Number(f.amount_fen), against });
    }
    for (const [i, f] of open.slice(confirm, confirm + dismiss).entries()) await review.dismissFinding(ctx, actor, f.id, DISMISS_REASONS[i]!);
  }
  const main = actors.find((a) => a.user.username === 'reviewer');
  if (!main) return;
  const { from, to, thisMonth } = lastMonth(options.asOf);
  const closed = await drawIfAny(ctx, main, { from, to, size: 8, seed: options.seed });
  if (closed) {
    for (const [i, c] of closed.claims.entries())
      await review.markSampledClaim(ctx, main, closed.id, c.claimId, i === 0 && c.fundPayFen > 0
        ? { result: 'error', errorAmountFen: Math.max(1, Math.floor(c.fundPayFen / 4)), note: '超出限定支付范围' }
        : { result: 'correct' });
    await review.closeSample(ctx, main, closed.id);
  }
  const open = await drawIfAny(ctx, main, { from: thisMonth, to: addDays(options.asOf, -1), size: 6, seed: options.seed + 1 });
  if (open) for (const c of open.claims.slice(0, 3)) await review.markSampledClaim(ctx, main, open.id, c.claimId, { result: 'correct' });
}

/** A sample, unless the period holds no claim to draw (a demo day early in a month). */
async function drawIfAny(ctx: AppContext, actor: Actor, input: { from: string; to: string; size: number; seed: number }) {
  if (input.to < input.from) return null;
  try {
    return await review.drawClaimSample(ctx, actor, input);
  } catch (e) {
    if ((e as { code?: string }).code === 'sample_population_empty') return null;
    throw e;
  }
}
