// One run of the smart audit over a service date (or a range, for a re-audit): the persons with claims
// or prescriptions on those days are read in batches (queries.ts), the pure rules judge each person
// (src/engine/audit), and everything found is written in one transaction — a run row per day, the
// findings `on conflict (finding_key) do nothing` with a 'found' event for each new one, then the
// prescriber outliers, which read the findings just written. A second run of a day inserts nothing.
import { sql } from 'kysely';
import { addDays, daysBetween, type IsoDate } from '../../engine/calendar';
import { auditClaims, auditPrescriptions, findingKey, prescriberOutliers, ruleParamsOf, type AuditDrug, type AuditFinding, type AuditPolicyParams, type AuditRuleCode } from '../../engine/audit';
import { prescriptionParams } from '../../engine/prescription/params';
import type { AppContext } from '../../core/context';
import type { Database } from '../../db/connect';
import { loadDrugs } from '../reference/service';
import { batchFacts, doctorDays, subjectPersons } from './queries';
import { syncAuditRules } from './rules';

export type AuditTrigger = 'nightly' | 'cli' | 'api';
type RunContext = Pick<AppContext, 'db' | 'now' | 'policies'>;

export interface DayRun {
  runId: string;
  date: IsoDate;
  claimsChecked: number;
  prescriptionsChecked: number;
  findingsTotal: number;
  findingsNew: number;
  ruleVersions: Record<string, number>;
  startedAt: string;
  finishedAt: string;
}

/** Persons per read: larger batches mean fewer statements; 5,000 persons' history is a few MB. */
const BATCH = 5000;
const INSERT_CHUNK = 1000;
/** Follow-up visits are read this far back (the longest follow-up window of a policy is far shorter). */
const VISITS_BACK_DAYS = 366;

function drugMap(): Map<string, AuditDrug> {
  return new Map(loadDrugs().map((d) => [d.code, { code: d.code, classes: d.classes, diseases: d.diseases, maxDailyUnits: d.maxDailyUnits, packSize: d.packSize }]));
}

/** The policy's numbers for the rules, per policy and insurance type (prescriptionParams reads them). */
function policyParams(ctx: RunContext) {
  const cache = new Map<string, AuditPolicyParams>();
  return (policyId: string, insuranceType: 'resident' | 'employee'): AuditPolicyParams => {
    const key = `${policyId}|${insuranceType}`;
    let p = cache.get(key);
    if (!p) {
      const entry = ctx.policies.byId(policyId);
      if (!entry) throw new Error(`smart audit: claim settled under policy ${policyId}, which is not in policies/`);
      const rx = prescriptionParams(entry.policy, insuranceType);
      cache.set(key, (p = { maxDaysSupply: rx.maxDaysSupply, earlyRefillBp: rx.earlyRefillBp, onHandToleranceDays: rx.onHandToleranceDays, followUpWindowDays: rx.followUpWindowDays }));
    }
    return p;
  };
}

const daysOf = (from: IsoDate, to: IsoDate) => Array.from({ length: daysBetween(from, to) + 1 }, (_, i) => addDays(from, i));

/** Every day from `from` to `to` audited: one run row per day, written in one transaction. */
export async function auditRange(ctx: RunContext, o: { from: IsoDate; to: IsoDate; trigger: AuditTrigger; startedBy?: string | null }): Promise<DayRun[]> {
  if (o.to < o.from) throw new RangeError(`audit range ends (${o.to}) before it starts (${o.from})`);
  const startedAt = ctx.now();
  const rules = await syncAuditRules(ctx.db);
  const active = new Set([...rules.values()].filter((r) => r.active).map((r) => r.code));
  const ruleVersions = Object.fromEntries([...rules.values()].map((r) => [r.code, r.version]));
  const params = ruleParamsOf(Object.fromEntries([...rules.values()].map((r) => [r.code, r.params])));
  const drugs = drugMap();
  const policyOf = policyParams(ctx);
  const days = daysOf(o.from, o.to);

  const found: AuditFinding[] = [];
  const claimsByDay = new Map<string, number>();
  const rxByDay = new Map<string, number>();
  const persons = await subjectPersons(ctx.db, o.from, o.to);
  const range = { from: o.from, to: o.to, lookFrom: addDays(o.from, -Math.max(params.lookbackDays, params.abnormalFrequency.windowDays)), visitsFrom: addDays(o.from, -VISITS_BACK_DAYS) };
  for (let i = 0; i < persons.length; i += BATCH) {
    const batch = await batchFacts(ctx.db, persons.slice(i, i + BATCH), range);
    for (const person of batch.persons) {
      for (const c of person.claims) if (c.serviceDate >= o.from) claimsByDay.set(c.serviceDate, (claimsByDay.get(c.serviceDate) ?? 0) + 1);
      for (const rx of person.prescriptions) rxByDay.set(rx.writtenOn, (rxByDay.get(rx.writtenOn) ?? 0) + 1);
      found.push(
        ...auditClaims(person, o, drugs, (claim) => {
          const meta = batch.claimMeta.get(claim.id)!;
          return policyOf(meta.policyId, meta.insuranceType);
        }, params),
        ...auditPrescriptions(person, o, drugs, (rx) => {
          const meta = batch.prescriptionMeta.get(rx.id)!;
          const entry = ctx.policies.forRegion(meta.countyCode, rx.writtenOn);
          if (!entry) throw new Error(`smart audit: no benefit policy covers ${meta.countyCode} on ${rx.writtenOn}`);
          return policyOf(entry.id, meta.insuranceType);
        }),
      );
    }
  }

  return ctx.db.transaction().execute(async (trx) => {
    const counties = new Map((await trx.selectFrom('institution').select(['id', 'county_code']).execute()).map((r) => [r.id, r.county_code]));
    const inserted = await trx.insertInto('audit_run').values(days.map((d) => ({
      service_date: d, trigger: o.trigger, started_at: startedAt, rule_versions: JSON.stringify(ruleVersions), started_by: o.startedBy ?? null,
    }))).returning(['id', 'service_date']).execute();
    const runIds = new Map(inserted.map((r) => [r.service_date, r.id]));
    const newByDay = new Map<string, number>();
    const insert = async (list: AuditFinding[]) => {
      const at = ctx.now();
      for (let i = 0; i < list.length; i += INSERT_CHUNK) {
        const chunk = list.slice(i, i + INSERT_CHUNK).filter((f) => active.has(f.rule));
        if (!chunk.length) continue;
        const inserted = await trx.insertInto('audit_finding').values(chunk.map((f) => ({
          finding_key: findingKey(f), rule_code: f.rule, rule_version: ruleVersions[f.rule], service_date: f.serviceDate, county_code: counties.get(f.institutionId)!,
          claim_id: f.claimId, prescription_id: f.prescriptionId, person_id: f.personId, institution_id: f.institutionId, doctor_id: f.doctorId,
          evidence: JSON.stringify(f.evidence), amount_fen: f.amountFen, run_id: runIds.get(f.serviceDate)!, found_at: at,
        }))).onConflict((oc) => oc.column('finding_key').doNothing()).returning(['id', 'service_date', 'rule_code']).execute();
        if (inserted.length)
          await trx.insertInto('audit_finding_event').values(inserted.map((r) => ({
            finding_id: r.id, at, user_id: o.startedBy ?? null, action: 'found' as const, from_status: null, to_status: 'open', reason: null,
            detail: JSON.stringify({ runId: runIds.get(r.service_date), trigger: o.trigger }),
          }))).execute();
        for (const r of inserted) newByDay.set(r.service_date, (newByDay.get(r.service_date) ?? 0) + 1);
      }
    };
    await insert(found);
    // the outliers read the claim findings of their window, those just written included
    const window = params.prescriberOutlier.windowDays;
    await insert(prescriberOutliers(await doctorDays(trx, addDays(o.from, -(window - 1)), o.to), days, params.prescriberOutlier));

    const totals = new Map((await sql<{ d: string; n: number }>`
      select to_char(service_date, 'YYYY-MM-DD') as d, count(*)::int as n from audit_finding
      where service_date between ${o.from}::date and ${o.to}::date group by 1`.execute(trx)).rows.map((r) => [r.d, r.n]));
    const finishedAt = ctx.now();
    const runs: DayRun[] = days.map((d) => ({
      runId: runIds.get(d)!, date: d, claimsChecked: claimsByDay.get(d) ?? 0, prescriptionsChecked: rxByDay.get(d) ?? 0,
      findingsTotal: totals.get(d) ?? 0, findingsNew: newByDay.get(d) ?? 0, ruleVersions, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(),
    }));
    // every day's counters in one statement
    const col = <K extends keyof DayRun>(k: K) => runs.map((r) => String(r[k]));
    await sql`
      update audit_run r set claims_checked = u.claims, prescriptions_checked = u.rx, findings_total = u.total, findings_new = u.fresh, finished_at = ${finishedAt}
      from unnest(${col('runId')}::uuid[], ${col('claimsChecked')}::int[], ${col('prescriptionsChecked')}::int[], ${col('findingsTotal')}::int[], ${col('findingsNew')}::int[]) as u(id, claims, rx, total, fresh)
      where r.id = u.id`.execute(trx);
    return runs;
  });
}

/**
 * The days before `date`, within the prescriber-outlier window, that have claims but were never
 * audited: a run of `date` audits them first, so the outlier rule reads a full window of findings.
 */
export async function unauditedDaysBefore(db: Database, date: IsoDate, windowDays: number): Promise<IsoDate[]> {
  const { rows } = await sql<{ d: string }>`
    select to_char(c.service_date, 'YYYY-MM-DD') as d from claim c
    where c.service_date between ${addDays(date, -(windowDays - 1))}::date and ${addDays(date, -1)}::date and c.status = 'settled'
      and not exists (select 1 from audit_run r where r.service_date = c.service_date and r.finished_at is not null)
    group by c.service_date order by 1`.execute(db);
  return rows.map((r) => r.d);
}

/** A day's audit: the unaudited days of its outlier window first (one transaction with it). */
export async function auditDate(ctx: RunContext, o: { date: IsoDate; trigger: AuditTrigger; startedBy?: string | null }) {
  const rules = await syncAuditRules(ctx.db);
  const window = ruleParamsOf(Object.fromEntries([...rules.values()].map((r) => [r.code, r.params]))).prescriberOutlier.windowDays;
  const missing = await unauditedDaysBefore(ctx.db, o.date, window);
  const runs = await auditRange(ctx, { from: missing[0] ?? o.date, to: o.date, trigger: o.trigger, startedBy: o.startedBy });
  return { run: runs[runs.length - 1], backfilled: runs.slice(0, -1).map((r) => r.date) };
}

export interface FindingOut {
  rule: AuditRuleCode;
  claim_id?: string;
  prescription_id?: string;
  person_id: string | null;
  institution_id: string;
  doctor_id: string | null;
  amount_fen: number;
  evidence: Record<string, unknown>;
  finding_id: string;
  new: boolean;
}

/** Every finding of a service date, `new` when `runId` found it (the CLI's --json). */
export async function findingsOfDate(db: Database, date: IsoDate, runId: string | null): Promise<FindingOut[]> {
  const rows = await db.selectFrom('audit_finding')
    .select(['id', 'rule_code', 'claim_id', 'prescription_id', 'person_id', 'institution_id', 'doctor_id', 'amount_fen', 'evidence', 'run_id'])
    .where('service_date', '=', date).orderBy('rule_code').orderBy('finding_key').execute();
  return rows.map((r) => ({
    rule: r.rule_code as AuditRuleCode,
    ...(r.claim_id ? { claim_id: r.claim_id } : {}),
    ...(r.prescription_id ? { prescription_id: r.prescription_id } : {}),
    person_id: r.person_id, institution_id: r.institution_id, doctor_id: r.doctor_id, amount_fen: Number(r.amount_fen),
    evidence: r.evidence as Record<string, unknown>, finding_id: r.id, new: r.run_id === runId,
  }));
}
