// The pharmacist's review (审方): the county's queue, opening a prescription (which runs the pre-check
// of engine/prescription/review.ts over the patient's records), approving — a blocking finding only
// with a recorded override reason, and only by a licensed pharmacist — or returning it with reasons.
import { addDays, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import { blocking, FINDING_TEXT, type Finding, reviewFindings } from '../../engine/prescription/review';
import { lastFillDay } from '../../engine/prescription/status';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { AppError, forbidden, notFound } from '../../core/problem';
import { rulesFor, transition } from './write';
import { drugCatalogue } from './view';
import * as q from './queries';

/** How far back dispenses count as supply the patient may still hold (longer than any supply). */
const SUPPLY_LOOKBACK_DAYS = 200;

/** The pre-check's findings for a stored prescription on a date (the after-the-event audit calls it too). */
export async function preCheck(ctx: AppContext, p: q.PrescriptionRow, date: string) {
  const [facts, lines] = await Promise.all([q.personFacts(ctx.db, p.person_id, addDays(date, -SUPPLY_LOOKBACK_DAYS)), q.linesOf(ctx.db, p.person_id, [p.id])]);
  const person = facts.person!;
  const rules = rulesFor(ctx, person, date);
  // the prescription's own dispenses are not supply "still on hand" against itself
  const own = new Set((await ctx.db.selectFrom('dispense').select('claim_id').where('person_id', '=', p.person_id).where('prescription_id', '=', p.id).execute()).map((d) => d.claim_id));
  const drug = (code: string) => drugCatalogue().get(code)!;
  const findings = reviewFindings(
    {
      date,
      lines: lines.map((l) => {
        const d = drug(l.drug_code);
        return { drug: { code: d.code, classes: d.classes, diseases: d.diseases, maxDailyUnits: d.maxDailyUnits }, doseUnits: { n: l.dose_milli, d: 1000 }, frequency: l.frequency, daysSupply: l.days_supply };
      }),
      registrations: facts.registrations.map((r) => ({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to })),
      contracts: facts.contracts.map((c) => ({
        id: c.id, teamId: c.team_id, teamName: c.team_name, startDate: c.start_date, endDate: c.end_date, status: c.status, terminatedOn: c.terminated_on,
      })),
      dispensed: facts.supply.filter((s) => !own.has(s.claim_id) && drugCatalogue().has(s.drug_code))
        .map((s) => ({ drugCode: s.drug_code, classes: drug(s.drug_code).classes, dispensedOn: s.service_date, daysCovered: s.days_supply, place: s.place })),
    },
    rules,
  );
  return { findings, rules };
}

/** A finding as the API shows it: line numbers from 1, the rule's text beside its code. */
export const findingOut = (f: Finding) => ({ ...f, line: f.line === null ? null : f.line + 1, text: FINDING_TEXT[f.code] });

async function reviewable(ctx: AppContext, actor: Actor, id: string) {
  const p = await q.findPrescription(ctx.db, id);
  await requireAccess(ctx, actor, 'prescription.review', { personId: p?.person_id ?? null, regionCode: p?.county_code ?? null });
  if (!p) throw notFound('No such prescription');
  return p;
}

/** 审方 needs a licensed pharmacist (《医疗机构处方审核规范》: 药师 with a licence). */
async function requireLicensed(ctx: AppContext, actor: Actor) {
  const licensed = actor.user.practitionerId
    ? await ctx.db.selectFrom('practitioner').select('id').where('id', '=', actor.user.practitionerId).where('profession', '=', 'pharmacist').where('license_no', '<>', '').executeTakeFirst()
    : undefined;
  if (!licensed) throw forbidden('Only a licensed pharmacist (执业药师) reviews prescriptions: link your account to your practitioner record');
}

export async function reviewQueue(ctx: AppContext, actor: Actor, page: { limit: number; offset: number }) {
  await requireAccess(ctx, actor, 'prescription.review');
  const county = actor.user.scope.regionPrefix!;
  const [rows, total] = await Promise.all([q.reviewQueue(ctx.db, county, page.limit, page.offset), q.reviewQueueCount(ctx.db, county)]);
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'prescription_review_queue', detail: { county } }]);
  return {
    total,
    items: rows.map((r) => {
      const findings = r.findings as Finding[];
      return {
        id: r.id, personId: r.person_id, personName: r.person_name, idNumber: maskResidentId(r.id_number), prescriptionNo: r.prescription_no, origin: r.origin,
        status: r.status, writtenOn: r.written_on, daysSupply: r.days_supply, submittedAt: new Date(r.submitted_at!).toISOString(), fillPlace: r.fill_place,
        institution: r.institution_name, doctor: r.doctor_name ?? '', reviewer: r.reviewer_name, blocking: blocking(findings).length, warnings: findings.length - blocking(findings).length,
      };
    }),
  };
}

/** 开始审方: the pharmacist takes the prescription; the pre-check runs and its findings are kept. */
export async function startReview(ctx: AppContext, actor: Actor, id: string) {
  const p = await reviewable(ctx, actor, id);
  await requireLicensed(ctx, actor);
  const { findings } = await preCheck(ctx, p, shanghaiDate(ctx.now()));
  if (p.status === 'under_review') {
    // a colleague's open review passes to this pharmacist, with findings of today
    await transition(ctx.db, actor, p, 'take_over', null, ctx.now(), { reviewed_by: actor.user.id, findings: JSON.stringify(findings) });
  } else {
    await transition(ctx.db, actor, p, 'start_review', null, ctx.now(), { reviewed_by: actor.user.id, findings: JSON.stringify(findings) }, { findings: findings.map((f) => f.code) });
  }
  return findings.map(findingOut);
}

/**
 * 审核通过. The pre-check runs again (the records may have changed since the review opened); a blocking
 * finding needs the override reason, which is kept with the findings it overrode.
 */
export async function approvePrescription(ctx: AppContext, actor: Actor, id: string, input: { overrideReason?: string | null; note?: string | null }) {
  const p = await reviewable(ctx, actor, id);
  await requireLicensed(ctx, actor);
  const today = shanghaiDate(ctx.now());
  if (p.status === 'submitted') await startReview(ctx, actor, id);
  const { findings, rules } = await preCheck(ctx, p, today);
  const blocks = blocking(findings);
  const override = input.overrideReason?.trim() || null;
  if (blocks.length && !override) {
    const problems = blocks.map((f) => ({ field: 'body.overrideReason', rule: f.code, message: `${FINDING_TEXT[f.code]}${f.line === null ? '' : `（第 ${f.line + 1} 行）`}` }));
    throw new AppError(409, 'Conflict', `Blocking findings need an override reason: ${blocks.map((f) => f.code).join(', ')}`, [{ field: '', rule: 'blocking_findings', message: 'blocking findings need an override reason' }, ...problems]);
  }
  await transition(ctx.db, actor, p, 'approve', null, ctx.now(), {
    findings: JSON.stringify(findings), reviewed_by: actor.user.id, reviewed_at: ctx.now(), approved_at: ctx.now(), review_note: input.note?.trim() || null,
    override_reason: blocks.length ? override : null, valid_until: lastFillDay(today, rules.validityDays),
  }, { overridden: blocks.map((f) => f.code) });
}

/** 退回: back to the doctor with the pharmacist's reasons. */
export async function returnPrescription(ctx: AppContext, actor: Actor, id: string, reason: string) {
  const p = await reviewable(ctx, actor, id);
  await requireLicensed(ctx, actor);
  if (p.status === 'submitted') await startReview(ctx, actor, id);
  await transition(ctx.db, actor, p, 'return', reason, ctx.now(), { reviewed_by: actor.user.id, reviewed_at: ctx.now(), review_note: reason });
}
