// A patient's state at the end of a month: the one place the indicators' definitions live
// (docs/indicators.md, issue 16). Every rate is a count over these rows, so a definition changed here
// changes every report at once; INDICATOR_VERSION names the definitions a row was computed under.
//
// Sources: contracting ≥ 80 % and standardised management ≥ 70 % (seed 002, Jiaxing's programme: "高血压、
// 糖尿病患者签约率达80%以上", "规范管理率均稳定在70%以上"); the standard of management is the national
// specification's face-to-face follow-up every quarter and the annual health check (DOMAIN.md,
// engine/followup/management.ts); control is counted as public hypertension programmes count it (Simple.org,
// WHO HEARTS): the latest reading in the last 3 months, patients registered in the last 3 months and those
// lost to follow-up (no visit in 12 months) set aside.
import { addMonths, ageOn, compareDates, monthEnd, type IsoDate } from '../calendar';
import { isBpControlled, isGlucoseControlled } from '../followup/classify';
import type { Disease } from '../followup/disease';
import { DEFAULT_FACE_TO_FACE, type VisitMode } from '../followup/management';

export const INDICATOR_VERSION = '2026.1';
/** A registration younger than this at the end is not yet judged on control. */
export const CONTROL_GRACE_MONTHS = 3;
/** No visit for this long before the end (and registered longer ago): lost to follow-up. */
export const LOST_AFTER_MONTHS = 12;

export type ControlGroup = 'controlled' | 'uncontrolled' | 'visited_no_reading' | 'missed_visit' | 'registered_last_3_months' | 'lost_to_follow_up';
export type InstitutionLevel = 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';

/** What the rows are computed from: one patient's records, as the database holds them. */
export interface PatientFacts {
  personId: string;
  birthDate: IsoDate;
  /** The county of the person's address (first 6 digits of the region code). */
  countyCode: string;
  insuranceType: 'resident' | 'employee';
  deathDate: IsoDate | null;
  /** Health-record diagnoses (person_condition) of the two diseases. */
  diagnoses: Array<{ disease: Disease; diagnosedOn: IsoDate }>;
  /** Contracts with their team; terminatedOn is the first day no longer in force. */
  contracts: Array<{ teamId: string; institutionId: string; startDate: IsoDate; endDate: IsoDate; terminatedOn: IsoDate | null }>;
  /** Confirmed registrations; effectiveTo is the first day no longer in force (null: open). */
  registrations: Array<{ disease: Disease; effectiveFrom: IsoDate; effectiveTo: IsoDate | null; diagnosedOn: IsoDate }>;
  /** Follow-up visits: the diseases covered and the readings taken. */
  visits: Array<{ date: IsoDate; mode: VisitMode; diseases: Disease[]; systolic: number | null; diastolic: number | null; fastingGlucoseTenths: number | null }>;
  healthChecks: Array<{ date: IsoDate; systolic: number | null; diastolic: number | null; fastingGlucoseTenths: number | null }>;
  /** Filings' steps on their Beijing day: first submitted (filed), approved (confirmed), returned. */
  filingSteps: Array<{ date: IsoDate; step: 'filed' | 'confirmed' | 'returned' }>;
  /** Dispenses not taken back, on their Beijing day, and whether their delivery order was delivered. */
  dispenses: Array<{ date: IsoDate; prescriptionId: string; delivered: boolean }>;
  /** Settled, not reversed claims with a two-disease line: their two-disease lines' sums. */
  claims: Array<{ serviceDate: IsoDate; level: InstitutionLevel; amountFen: number; fundPayFen: number }>;
}

export interface DiseaseMonth {
  diagnosed: boolean;
  registered: boolean;
  /** Face-to-face follow-ups owed in the year up to the end (one per whole quarter registered from its first day). */
  owed: number;
  /** Distinct days with a clinic or home follow-up covering the disease, in the year up to the end. */
  faceToFace: number;
  /** The control rate's group; null when not in its base (not registered at the end, or dead). */
  control: ControlGroup | null;
}

/** What happened in the quarter (or year) up to the end: claims, filings, prescriptions dispensed and delivered. */
export interface PeriodSums {
  grassroots: number; hospital: number; pharmacy: number; amountFen: number; fundPayFen: number;
  filed: number; confirmed: number; returned: number;
  /** Prescriptions with a dispense in the period, and those of them with a delivered order for one. */
  dispensed: number; delivered: number;
}

export interface PatientMonth {
  personId: string;
  month: string; // 'YYYY-MM'
  version: string;
  countyCode: string;
  insuranceType: 'resident' | 'employee';
  teamId: string | null;
  institutionId: string | null;
  alive: boolean;
  /** A two-disease diagnosis on or before the end (health record or registration). */
  diagnosed: boolean;
  /** A confirmed two-disease registration in force at the end. */
  registered: boolean;
  /** An annual health check in the year up to the end. */
  annualCheck: boolean;
  /** A registration in force on the same day a year before the end. */
  registeredYearBefore: boolean;
  hypertension: DiseaseMonth;
  diabetes: DiseaseMonth;
  /** The quarter up to the end, and the year up to the end. */
  quarter: PeriodSums;
  year: PeriodSums;
}

const DISEASES: readonly Disease[] = ['hypertension', 'diabetes'];
const within = (d: IsoDate, from: IsoDate, to: IsoDate) => compareDates(d, from) >= 0 && compareDates(d, to) <= 0;
/** In force on a day: from ≤ day < to (to exclusive, null open). */
const inForce = (day: IsoDate, from: IsoDate, to: IsoDate | null) => compareDates(from, day) <= 0 && (to === null || compareDates(day, to) < 0);

/** The months a patient has rows for: from the month of their first diagnosis, registration, filing, dispense or claim. */
export function firstMonth(f: PatientFacts): string | null {
  const dates = [...f.diagnoses.map((d) => d.diagnosedOn), ...f.registrations.map((r) => r.effectiveFrom), ...f.claims.map((c) => c.serviceDate),
    ...f.filingSteps.map((e) => e.date), ...f.dispenses.map((d) => d.date)];
  if (!dates.length) return null;
  return dates.reduce((a, b) => (compareDates(a, b) <= 0 ? a : b)).slice(0, 7);
}

/** The patient's state at the end of `month` ('YYYY-MM'), or null before they are known to the programme. */
export function patientMonth(f: PatientFacts, month: string): PatientMonth | null {
  const first = firstMonth(f);
  if (first === null || month < first) return null;
  const end = monthEnd(month);
  const yearStart = `${month.slice(0, 4)}-01-01`;
  const quarterStart = `${month.slice(0, 4)}-${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
  const alive = f.deathDate === null || compareDates(f.deathDate, end) > 0;
  const contract = f.contracts.find((c) => compareDates(c.startDate, end) <= 0 && compareDates(end, c.endDate) <= 0 && (c.terminatedOn === null || compareDates(end, c.terminatedOn) < 0));
  const perDisease = Object.fromEntries(DISEASES.map((d) => [d, diseaseMonth(f, d, end, yearStart, alive)])) as Record<Disease, DiseaseMonth>;
  return {
    personId: f.personId,
    month,
    version: INDICATOR_VERSION,
    countyCode: f.countyCode,
    insuranceType: f.insuranceType,
    teamId: contract?.teamId ?? null,
    institutionId: contract?.institutionId ?? null,
    alive,
    diagnosed: perDisease.hypertension.diagnosed || perDisease.diabetes.diagnosed,
    registered: perDisease.hypertension.registered || perDisease.diabetes.registered,
    annualCheck: f.healthChecks.some((h) => within(h.date, yearStart, end)),
    registeredYearBefore: f.registrations.some((r) => inForce(addMonths(end, -12), r.effectiveFrom, r.effectiveTo)),
    hypertension: perDisease.hypertension,
    diabetes: perDisease.diabetes,
    quarter: periodSums(f, quarterStart, end),
    year: periodSums(f, yearStart, end),
  };
}

function diseaseMonth(f: PatientFacts, disease: Disease, end: IsoDate, yearStart: IsoDate, alive: boolean): DiseaseMonth {
  const registrations = f.registrations.filter((r) => r.disease === disease);
  const diagnosed = f.diagnoses.some((d) => d.disease === disease && compareDates(d.diagnosedOn, end) <= 0)
    || registrations.some((r) => compareDates(r.effectiveFrom, end) <= 0);
  const registered = registrations.some((r) => inForce(end, r.effectiveFrom, r.effectiveTo));
  const faceToFace = new Set(f.visits
    .filter((v) => v.diseases.includes(disease) && (DEFAULT_FACE_TO_FACE as readonly string[]).includes(v.mode) && within(v.date, yearStart, end))
    .map((v) => v.date)).size;
  return { diagnosed, registered, owed: owedFollowUps(registrations, end), faceToFace, control: registered && alive ? controlGroup(f, disease, registrations, end) : null };
}

/**
 * One face-to-face follow-up for every whole quarter of the year, ended on or before `end`, during which a
 * registration for the disease was in force from the quarter's first day to its last.
 */
export function owedFollowUps(registrations: Array<{ effectiveFrom: IsoDate; effectiveTo: IsoDate | null }>, end: IsoDate): number {
  const year = end.slice(0, 4);
  let owed = 0;
  for (let q = 0; q < 4; q++) {
    const first = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
    const last = monthEnd(`${year}-${String(q * 3 + 3).padStart(2, '0')}`);
    if (compareDates(last, end) > 0) break;
    // to is exclusive: in force on `last` means to > last
    if (registrations.some((r) => compareDates(r.effectiveFrom, first) <= 0 && (r.effectiveTo === null || compareDates(r.effectiveTo, last) > 0))) owed++;
  }
  return owed;
}

/**
 * The control rate's group at `end` for a registered, living patient. The 3 months ending at the end are the
 * days after end − 3 months up to the end; a reading is that disease's reading at a follow-up visit covering
 * it, or at an annual health check; the latest one counts (on one day a visit's reading before a check's, the
 * BP target for the age on the reading's day); a visit is any follow-up visit or health check.
 */
function controlGroup(f: PatientFacts, disease: Disease, registrations: PatientFacts['registrations'], end: IsoDate): ControlGroup {
  // the first effective date for the disease: a change registration does not reset it
  const registeredOn = registrations.map((r) => r.effectiveFrom).reduce((a, b) => (compareDates(a, b) <= 0 ? a : b));
  const windowStart = addMonths(end, -CONTROL_GRACE_MONTHS); // exclusive
  const careStart = addMonths(end, -LOST_AFTER_MONTHS); // exclusive
  if (compareDates(registeredOn, windowStart) > 0) return 'registered_last_3_months';
  const contactDates = [...f.visits.map((v) => v.date), ...f.healthChecks.map((h) => h.date)];
  const inWindow = (d: IsoDate, from: IsoDate) => compareDates(d, from) > 0 && compareDates(d, end) <= 0;
  const underCare = compareDates(registeredOn, careStart) > 0 || contactDates.some((d) => inWindow(d, careStart));
  if (!underCare) return 'lost_to_follow_up';

  type Reading = { date: IsoDate; rank: number; controlled: boolean };
  const readings: Reading[] = [];
  const judge = (r: { systolic: number | null; diastolic: number | null; fastingGlucoseTenths: number | null }, date: IsoDate): boolean | null => {
    if (disease === 'hypertension') return r.systolic === null || r.diastolic === null ? null : isBpControlled(r.systolic, r.diastolic, ageOn(f.birthDate, date));
    return r.fastingGlucoseTenths === null ? null : isGlucoseControlled(r.fastingGlucoseTenths);
  };
  for (const v of f.visits) {
    if (!v.diseases.includes(disease) || !inWindow(v.date, windowStart)) continue;
    const c = judge(v, v.date);
    if (c !== null) readings.push({ date: v.date, rank: 1, controlled: c });
  }
  for (const h of f.healthChecks) {
    if (!inWindow(h.date, windowStart)) continue;
    const c = judge(h, h.date);
    if (c !== null) readings.push({ date: h.date, rank: 0, controlled: c });
  }
  if (readings.length) {
    // latest day wins; on one day a visit's reading wins over a check's, and of two visits an uncontrolled one
    readings.sort((a, b) => compareDates(a.date, b.date) || a.rank - b.rank || Number(b.controlled) - Number(a.controlled));
    return readings[readings.length - 1].controlled ? 'controlled' : 'uncontrolled';
  }
  return contactDates.some((d) => inWindow(d, windowStart)) ? 'visited_no_reading' : 'missed_visit';
}

function periodSums(f: PatientFacts, from: IsoDate, to: IsoDate): PeriodSums {
  const s: PeriodSums = { grassroots: 0, hospital: 0, pharmacy: 0, amountFen: 0, fundPayFen: 0, filed: 0, confirmed: 0, returned: 0, dispensed: 0, delivered: 0 };
  for (const c of f.claims) {
    if (!within(c.serviceDate, from, to)) continue;
    if (c.level === 'grassroots') s.grassroots++;
    else if (c.level === 'pharmacy') s.pharmacy++;
    else s.hospital++;
    s.amountFen += c.amountFen;
    s.fundPayFen += c.fundPayFen;
  }
  for (const step of f.filingSteps) if (within(step.date, from, to)) s[step.step]++;
  const dispensed = new Map<string, boolean>();
  for (const d of f.dispenses) if (within(d.date, from, to)) dispensed.set(d.prescriptionId, (dispensed.get(d.prescriptionId) ?? false) || d.delivered);
  s.dispensed = dispensed.size;
  s.delivered = [...dispensed.values()].filter(Boolean).length;
  return s;
}
