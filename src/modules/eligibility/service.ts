// The one answer to "does the chronic benefit apply to this person on this day, and why not":
// settlement, prescribing and the screens all ask here.
import { decideEligibility } from '../../engine/eligibility';
import type { Database } from '../../db/connect';

/** The benefits the programme decides: the two diseases (the drug scope may be wider by policy). */
export const BENEFIT_DISEASES = ['hypertension', 'diabetes'] as const;

export async function eligibilityOf(db: Database, personId: string, date: string) {
  const [person, contracts, registrations, openFilings, prescription, diseases] = await Promise.all([
    db.selectFrom('person').select(['insurance_type', 'insured_since']).where('id', '=', personId).executeTakeFirstOrThrow(),
    db
      .selectFrom('contract as c')
      .innerJoin('family_doctor_team as t', 't.id', 'c.team_id')
      .select(['c.id', 'c.team_id', 't.name as team_name', 'c.start_date', 'c.end_date', 'c.status', 'c.terminated_on'])
      .where('c.person_id', '=', personId)
      .execute(),
    db.selectFrom('registration').select(['disease_code', 'effective_from', 'effective_to']).where('person_id', '=', personId).execute(),
    db
      .selectFrom('filing_disease as d')
      .innerJoin('registration_filing as f', 'f.id', 'd.filing_id')
      .select(['d.disease_code', 'f.status'])
      .where('d.person_id', '=', personId)
      .where('d.open', '=', true)
      .where('d.action', '=', 'add')
      .execute(),
    db
      .selectFrom('continuous_prescription as p')
      .innerJoin('drug', 'drug.code', 'p.drug_code')
      .select(['p.line_no', 'p.drug_code', 'drug.generic_name_zh', 'drug.strength', 'p.dose', 'p.frequency', 'p.days_supply', 'p.dispensing', 'p.pharmacy_id'])
      .where('p.person_id', '=', personId)
      .where('p.effective_from', '<=', date)
      .where((eb) => eb.or([eb('p.effective_to', 'is', null), eb('p.effective_to', '>', date)]))
      .orderBy('p.line_no')
      .execute(),
    db.selectFrom('disease').select(['code', 'name_zh']).execute(),
  ]);
  const nameOf = new Map(diseases.map((d) => [d.code, d.name_zh]));
  const decision = decideEligibility(
    {
      insuredSince: person.insured_since,
      contracts: contracts.map((c) => ({ id: c.id, teamId: c.team_id, teamName: c.team_name, startDate: c.start_date, endDate: c.end_date, status: c.status, terminatedOn: c.terminated_on })),
      registrations: registrations.map((r) => ({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to })),
      openFilings: openFilings.map((f) => ({ disease: f.disease_code, status: f.status === 'returned' ? 'returned' : 'submitted' })),
    },
    date,
    BENEFIT_DISEASES,
  );
  return {
    date,
    personId,
    insured: { type: person.insurance_type, since: person.insured_since, onDate: decision.insured },
    contract: decision.contract && { id: decision.contract.id, team: { id: decision.contract.teamId, name: decision.contract.teamName }, startDate: decision.contract.startDate, endDate: decision.contract.endDate },
    registrations: decision.registrations.map((r) => ({ disease: r.disease, name: nameOf.get(r.disease) ?? r.disease, effectiveFrom: r.effectiveFrom, effectiveTo: r.effectiveTo })),
    prescription: prescription.map((l) => ({
      lineNo: l.line_no, drugCode: l.drug_code, drugName: l.generic_name_zh, strength: l.strength, dose: l.dose, frequency: l.frequency,
      daysSupply: l.days_supply, dispensing: l.dispensing, pharmacyId: l.pharmacy_id, pharmacyName: null,
    })),
    benefits: decision.benefits.map((b) => ({ ...b, name: nameOf.get(b.disease) ?? b.disease })),
  };
}
