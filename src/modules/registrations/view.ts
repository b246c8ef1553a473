// How a filing is shown: its content, the person's state before it (for the reviewer's
// before → after), and its history.
import { addDays, ageOn, shanghaiDate } from '../../engine/calendar';
import { registrationInForce } from '../../engine/eligibility';
import { maskResidentId } from '../../engine/identity/residentId';
import type { DiagnosisBasis } from '../../engine/registration/diagnosisBasis';
import { formatTenths } from '../../engine/followup/readings';
import type { Database } from '../../db/connect';
import { seesFullIdNumber, type AuthUser } from '../../core/user';
import * as q from './queries';
import { attachmentsOf } from './attachments';

interface PersonColumns {
  person_id: string;
  name: string;
  sex: 'male' | 'female';
  birth_date: string;
  id_number: string;
  insurance_type: 'resident' | 'employee';
}

export function presentPerson(user: AuthUser | undefined, p: PersonColumns, today: string) {
  return {
    id: p.person_id,
    name: p.name,
    sex: p.sex,
    age: ageOn(p.birth_date, today),
    idNumber: user && seesFullIdNumber(user, p.person_id) ? p.id_number : maskResidentId(p.id_number),
    insuranceType: p.insurance_type,
  };
}

/** Glucose travels in mmol/L and % on the API, in tenths inside. */
export function basisOut(basis: DiagnosisBasis | null) {
  if (!basis || basis.type !== 'glucose') return basis;
  const { fastingGlucoseTenths, hba1cTenths, ...rest } = basis;
  return {
    ...rest,
    fastingGlucose: fastingGlucoseTenths == null ? null : Number(formatTenths(fastingGlucoseTenths)),
    hba1c: hba1cTenths == null ? null : Number(formatTenths(hba1cTenths)),
  };
}

interface Line {
  line_no: number; drug_code: string; generic_name_zh: string; strength: string; dose: string; frequency: string;
  days_supply: number; dispensing: string; pharmacy_id: string | null; pharmacy_name?: string | null;
}
const lineOut = (l: Line) => ({
  lineNo: l.line_no, drugCode: l.drug_code, drugName: l.generic_name_zh, strength: l.strength, dose: l.dose, frequency: l.frequency,
  daysSupply: l.days_supply, dispensing: l.dispensing, pharmacyId: l.pharmacy_id, pharmacyName: l.pharmacy_name ?? null,
});

export async function filingView(db: Database, id: string, now: Date, user?: AuthUser) {
  const f = (await q.findFiling(db, id))!;
  const [person, diseases, lines, events, regs, current, filer, attachments] = await Promise.all([
    db.selectFrom('person').select(['id as person_id', 'name', 'sex', 'birth_date', 'id_number', 'insurance_type']).where('id', '=', f.person_id).executeTakeFirstOrThrow(),
    q.filingDiseases(db, id),
    q.filingLines(db, id),
    q.filingEvents(db, id),
    q.registrationsOf(db, f.person_id),
    q.currentPrescription(db, f.person_id),
    db.selectFrom('app_user').select('display_name').where('id', '=', f.filed_by).executeTakeFirst(),
    attachmentsOf(db, f.person_id, id),
  ]);
  const team = await db.selectFrom('family_doctor_team').select(['id', 'name']).where('id', '=', f.team_id).executeTakeFirstOrThrow();
  // "before" is the state the reviewer decides against: registrations in force today, or for an
  // approved filing, on the day before it took effect
  const beforeOn = f.status === 'approved' ? addDays(f.effective_date!, -1) : shanghaiDate(now);
  const before = regs.filter((r) => registrationInForce({ disease: r.disease_code, effectiveFrom: r.effective_from, effectiveTo: r.effective_to }, beforeOn));
  return {
    id: f.id,
    person: presentPerson(user, person, shanghaiDate(now)),
    team,
    kind: f.kind,
    changeReason: f.change_reason,
    revocationReason: f.revocation_reason,
    deathDate: f.death_date,
    note: f.note,
    status: f.status,
    submittedAt: new Date(f.submitted_at).toISOString(),
    decidedAt: f.decided_at ? new Date(f.decided_at).toISOString() : null,
    decisionReason: f.decision_reason,
    decisionReasonCode: f.decision_reason_code,
    requestedAttachments: f.requested_attachments,
    attachments: attachments.map((a) => ({
      id: a.id, kind: a.kind, name: a.name, mediaType: a.media_type, sizeBytes: a.size_bytes, uploadedAt: new Date(a.uploaded_at).toISOString(), uploadedBy: a.uploaded_by,
      url: `/api/filings/${f.id}/attachments/${a.id}`,
    })),
    effectiveDate: f.effective_date,
    confirmation: f.confirmation,
    filedBy: filer?.display_name ?? null,
    diseases: diseases.map((d) => ({ code: d.disease_code, name: d.name_zh, action: d.action, diagnosedOn: d.diagnosed_on, basis: basisOut(d.basis as DiagnosisBasis | null) })),
    prescription: lines.map(lineOut),
    before: {
      registrations: before.map((r) => ({ disease: r.disease_code, name: r.name_zh, effectiveFrom: r.effective_from })),
      prescription: f.status === 'approved' ? [] : current.map(lineOut),
    },
    history: events.map((e) => {
      const detail = (e.detail ?? {}) as { reasonCode?: string | null; requestAttachments?: string[]; attachments?: string[] };
      return {
        at: new Date(e.at).toISOString(), from: e.from_status, to: e.to_status, reason: e.reason, by: e.by, role: e.role,
        reasonCode: detail.reasonCode ?? null, requestedAttachments: detail.requestAttachments ?? [], attachments: detail.attachments ?? [],
      };
    }),
  };
}
