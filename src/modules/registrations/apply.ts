// What an approved filing does to the record: registrations start or end on the effective date,
// and the continuous prescription it carries replaces the one in force. A revocation for death records
// the death date on the person (the filing's, or else its effective date). Answers the first day the
// approval changes, for the indicators' rows (the caller rewrites them once the decision is recorded).
import type { Database } from '../../db/connect';
import type { RegistrationFilingTable } from '../../db/schema';
import type { Selectable } from 'kysely';

type Filing = Selectable<RegistrationFilingTable>;

export async function applyApproval(db: Database, filing: Filing, effectiveDate: string): Promise<string> {
  const diseases = await db.selectFrom('filing_disease').selectAll().where('filing_id', '=', filing.id).execute();
  for (const d of diseases) {
    if (d.action === 'add') {
      await db
        .insertInto('registration')
        .values({ person_id: filing.person_id, disease_code: d.disease_code, effective_from: effectiveDate, diagnosed_on: d.diagnosed_on!, confirmed_filing_id: filing.id })
        .execute();
    } else if (d.action === 'remove') {
      await db
        .updateTable('registration')
        .set({ effective_to: effectiveDate, ended_filing_id: filing.id })
        .where('person_id', '=', filing.person_id)
        .where('disease_code', '=', d.disease_code)
        .where('effective_to', 'is', null)
        .execute();
    }
  }
  await db.updateTable('filing_disease').set({ open: false }).where('filing_id', '=', filing.id).execute();

  const lines = await db.selectFrom('filing_prescription_line').selectAll().where('filing_id', '=', filing.id).orderBy('line_no').execute();
  const remaining = await db.selectFrom('registration').select('id').where('person_id', '=', filing.person_id).where('effective_to', 'is', null).limit(1).execute();
  // a new prescription replaces the old; with no disease left registered the old one simply ends
  if (lines.length > 0 || remaining.length === 0) {
    await db
      .updateTable('continuous_prescription')
      .set({ effective_to: effectiveDate })
      .where('person_id', '=', filing.person_id)
      .where('effective_to', 'is', null)
      .execute();
  }
  if (lines.length > 0) {
    await db
      .insertInto('continuous_prescription')
      .values(lines.map((l) => ({
        person_id: filing.person_id, filing_id: filing.id, line_no: l.line_no, drug_code: l.drug_code, dose: l.dose, frequency: l.frequency,
        days_supply: l.days_supply, dispensing: l.dispensing, pharmacy_id: l.pharmacy_id, effective_from: effectiveDate,
      })))
      .execute();
  }
  let from = effectiveDate;
  if (filing.kind === 'revocation' && filing.revocation_reason === 'death') {
    const died = filing.death_date ?? effectiveDate;
    await db.updateTable('person').set({ death_date: died }).where('id', '=', filing.person_id).execute();
    if (died < from) from = died;
  }
  return from;
}
