// The one answer to "does the chronic benefit apply to this person on this day, and why not":
// settlement, prescribing and the screens all ask here.
import { sql } from 'kysely';
import { decideEligibility } from '../../engine/eligibility';
import type { ContractStatus } from '../../db/schema';
import { loadDiseases } from '../reference/service';
import type { Database } from '../../db/connect';
import type { PolicyBook } from '../../core/policyBook';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { notFound } from '../../core/problem';

/** The programme's two diseases: the benefits shown when no policy is in force for the person. */
const TWO_DISEASES = ['hypertension', 'diabetes'] as const;

export interface EligibilityFacts {
  insurance_type: 'resident' | 'employee';
  insured_since: string;
  contracts: Array<{ id: string; team_id: string; team_name: string; institution_id: string; start_date: string; end_date: string; status: ContractStatus; terminated_on: string | null }>;
  registrations: Array<{ disease_code: string; effective_from: string; effective_to: string | null }>;
  open_filings: Array<{ disease_code: string; status: string }>;
  prescription: Array<{ line_no: number; drug_code: string; generic_name_zh: string; strength: string; dose: string; frequency: string; days_supply: number; dispensing: string; pharmacy_id: string | null; pharmacy_name: string | null }>;
}

/**
 * Everything the decision needs, as columns of a person row aliased `p`, so one round trip answers it
 * and a caller (the counter) may select more beside it.
 */
export const eligibilityFactColumns = (date: string, options: { prescription?: boolean } = {}) => sql`
    p.insurance_type, p.insured_since::text as insured_since,
    (select coalesce(json_agg(json_build_object('id', c.id, 'team_id', c.team_id, 'team_name', t.name, 'institution_id', t.institution_id, 'start_date', c.start_date,
            'end_date', c.end_date, 'status', c.status, 'terminated_on', c.terminated_on)), '[]')
       from contract c join family_doctor_team t on t.id = c.team_id where c.person_id = p.id) as contracts,
    (select coalesce(json_agg(json_build_object('disease_code', r.disease_code, 'effective_from', r.effective_from, 'effective_to', r.effective_to)), '[]')
       from registration r where r.person_id = p.id) as registrations,
    (select coalesce(json_agg(json_build_object('disease_code', d.disease_code, 'status', f.status)), '[]')
       from filing_disease d join registration_filing f on f.person_id = d.person_id and f.id = d.filing_id
      where d.person_id = p.id and d.open and d.action = 'add') as open_filings,
    ${options.prescription === false ? sql`'[]'::json as prescription` : prescriptionColumn(date)}
`;

/** The continuous prescription in force: the counter, which settles what is handed over, does without it. */
const prescriptionColumn = (date: string) => sql`
    (select coalesce(json_agg(json_build_object('line_no', cp.line_no, 'drug_code', cp.drug_code, 'generic_name_zh', g.generic_name_zh, 'strength', g.strength,
            'dose', cp.dose, 'frequency', cp.frequency, 'days_supply', cp.days_supply, 'dispensing', cp.dispensing, 'pharmacy_id', cp.pharmacy_id, 'pharmacy_name', ph.name) order by cp.line_no), '[]')
       from continuous_prescription cp join drug g on g.code = cp.drug_code left join institution ph on ph.id = cp.pharmacy_id
      where cp.person_id = p.id and cp.effective_from <= ${date}::date and (cp.effective_to is null or cp.effective_to > ${date}::date)) as prescription
`;

/** A person's eligibility as a use case: the access check, the audit row, the answer. */
export async function readEligibility(ctx: AppContext, actor: Actor, permission: 'own.read' | 'person.eligibility.read', personId: string | null, date: string) {
  await requireAccess(ctx, actor, permission, { personId });
  if (!personId) throw notFound('No such person');
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'eligibility', personId }]);
  return eligibilityOf(ctx, personId, date);
}

export async function eligibilityOf(ctx: { db: Database; policies: PolicyBook }, personId: string, date: string) {
  const facts = (await sql<EligibilityFacts & { region_code: string }>`select p.region_code, ${eligibilityFactColumns(date)} from person p where p.id = ${personId}`.execute(ctx.db)).rows[0];
  if (!facts) throw notFound('No such person');
  const rules = ctx.policies.rulesFor(facts.region_code, facts.insurance_type, date);
  return {
    ...eligibilityFrom(facts, personId, date, rules?.diseases),
    rules: rules ? { policyId: rules.policyId, diseases: [...rules.diseases], maxDaysSupply: rules.maxDaysSupply, oneStopLevels: [...rules.oneStopLevels] } : null,
  };
}

/**
 * The answer from facts already read. `policyDiseases` are the diseases of the two-disease benefit in
 * force for the person (the policy file is the only source): the two diseases are always answered,
 * the policy's others where the person has a registration or a filing for them.
 */
export function eligibilityFrom(facts: EligibilityFacts, personId: string, date: string, policyDiseases: readonly string[] = TWO_DISEASES) {
  const mine = new Set([...facts.registrations.map((r) => r.disease_code), ...facts.open_filings.map((f) => f.disease_code)]);
  const diseases = policyDiseases.filter((d) => (TWO_DISEASES as readonly string[]).includes(d) || mine.has(d));
  const nameOf = new Map(loadDiseases().map((d) => [d.code, d.nameZh]));
  const decision = decideEligibility(
    {
      insuredSince: facts.insured_since,
      contracts: facts.contracts.map((c) => ({ id: c.id, teamId: c.team_id, teamName: c.team_name, startDate: c.start_date, endDate: c.end_date, status: c.status, terminatedOn: c.terminated_on })),
      registrations: facts.registrations.map((r) => ({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to })),
      openFilings: facts.open_filings.map((f) => ({ disease: f.disease_code, status: f.status === 'returned' ? 'returned' : 'submitted' })),
    },
    date,
    diseases,
  );
  const prescription = facts.prescription;
  const person = { insurance_type: facts.insurance_type, insured_since: facts.insured_since };
  return {
    date,
    personId,
    insured: { type: person.insurance_type, since: person.insured_since, onDate: decision.insured },
    contract: decision.contract && { id: decision.contract.id, team: { id: decision.contract.teamId, name: decision.contract.teamName }, startDate: decision.contract.startDate, endDate: decision.contract.endDate },
    registrations: decision.registrations.map((r) => ({ disease: r.disease, name: nameOf.get(r.disease) ?? r.disease, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo })),
    prescription: prescription.map((l) => ({
      lineNo: l.line_no, drugCode: l.drug_code, drugName: l.generic_name_zh, strength: l.strength, dose: l.dose, frequency: l.frequency,
      daysSupply: l.days_supply, dispensing: l.dispensing, pharmacyId: l.pharmacy_id, pharmacyName: l.pharmacy_name,
    })),
    benefits: decision.benefits.map((b) => ({ ...b, name: nameOf.get(b.disease) ?? b.disease })),
  };
}
