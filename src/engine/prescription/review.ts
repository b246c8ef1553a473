// The pharmacist's pre-check (审方) of a prescription: every rule a code, a severity, the facts that
// triggered it and, where a national rule exists, its reference. Pure and free of "now": the date is a
// fact, so the after-the-event audit (智能审核, DOMAIN.md 3.11) replays the same function over stored
// prescriptions on their own dates.
//
// Severity: `block` — the pharmacist cannot approve without a recorded override reason (the
// 双签 / re-confirmation the 处方审核规范 asks for an inappropriate prescription); `warn` — shown, approval
// stays open. Why each rule has its severity is said at the rule.
import { addDays, daysBetween, type IsoDate } from '../calendar';
import { contractInForce, registrationInForce, type ContractFact, type RegistrationFact } from '../eligibility';
import { dailyUnits, fraction, toNumber, type Fraction, type Frequency } from './supply';

/** 《医疗机构处方审核规范》: review of every prescription before dispensing (appropriateness, dose, duplicates). */
export const REF_REVIEW = '《医疗机构处方审核规范》（国卫办医发〔2018〕14号）';
/** 《长期处方管理规范（试行）》: a long prescription is at most 12 weeks. */
export const REF_LONG_PRESCRIPTION = '《长期处方管理规范（试行）》（国卫办医发〔2021〕17号）';
/** Seed 002 items 8–10: the benefit's scope — contracted, registered and confirmed, drugs for the registered disease. */
export const SEED_SCOPE = { seed: '002', item: '8–10' } as const;

export type Severity = 'block' | 'warn';

export interface ReviewDrug {
  code: string;
  /** Therapeutic classes (data/drugs.json `classes`). */
  classes: readonly string[];
  /** Registry diseases it treats; empty for a drug outside the two-disease / chronic scope. */
  diseases: readonly string[];
  /** The labelling's maximum daily dose in the drug's unit (data/drugs.json `maxDailyUnits`). */
  maxDailyUnits: number;
}

export interface ReviewLine {
  drug: ReviewDrug;
  doseUnits: number | Fraction;
  frequency: Frequency;
  daysSupply: number;
}

/** A past dispense to the patient, from any place that dispensed to them. */
export interface PastDispense {
  drugCode: string;
  classes: readonly string[];
  dispensedOn: IsoDate;
  daysCovered: number;
  /** Who dispensed it (institution or pharmacy id or name), shown in the evidence. */
  place: string;
}

export interface ReviewFacts {
  /** The day reviewed: today at the counter, the prescription's own date in the audit. */
  date: IsoDate;
  lines: ReviewLine[];
  registrations: RegistrationFact[];
  contracts: ContractFact[];
  /** Past dispenses (the prescription's own excluded); those after `date` are ignored. */
  dispensed: PastDispense[];
}

export interface ReviewParams {
  /** The benefit's `max_days_supply` (Zhenjiang 60, Changning 60, national 84). */
  maxDaysSupply: number;
  /** `prescription.on_hand_tolerance`: days of a drug on hand that pass without a finding. */
  onHandToleranceDays: number;
}

/** What the patient still holds of one drug on the date, every place's dispenses carried over in date order. */
export interface OnHand {
  drugCode: string;
  classes: readonly string[];
  /** Whole days left on `date`: the carried-over supply's end minus the date. */
  daysLeft: number;
  /** Last day covered (the day before the supply runs out). */
  coveredUntil: IsoDate;
  dispenses: Array<{ dispensedOn: IsoDate; daysCovered: number; place: string }>;
}

export type Finding =
  | { code: 'not_contracted'; severity: Severity; line: null; evidence: { date: IsoDate; contracts: Array<{ id: string; startDate: IsoDate; endDate: IsoDate; status: string }> }; seed: typeof SEED_SCOPE }
  | { code: 'not_registered'; severity: Severity; line: null; evidence: { date: IsoDate; registrations: RegistrationFact[] }; seed: typeof SEED_SCOPE }
  | { code: 'registration_expired'; severity: Severity; line: null; evidence: { date: IsoDate; ended: RegistrationFact[] }; seed: typeof SEED_SCOPE }
  | { code: 'over_max_days'; severity: Severity; line: number; drugCode: string; evidence: { daysSupply: number; maxDaysSupply: number }; reference: string }
  | { code: 'over_max_daily_dose'; severity: Severity; line: number; drugCode: string; evidence: { dailyUnits: number; maxDailyUnits: number; doseUnits: number; frequency: Frequency }; reference: string }
  | { code: 'no_registered_disease'; severity: Severity; line: number; drugCode: string; evidence: { drugDiseases: string[]; registeredDiseases: string[] }; reference: string; seed: typeof SEED_SCOPE }
  | {
      code: 'duplicate_therapy';
      severity: Severity;
      line: number;
      drugCode: string;
      evidence: { classes: string[]; withLine: number; withDrugCode: string } | { classes: string[]; onHand: OnHand };
      reference: string;
    }
  | { code: 'overlapping_supply'; severity: Severity; line: number; drugCode: string; evidence: { onHand: OnHand; toleranceDays: number }; reference: string };

export type FindingCode = Finding['code'];

export const FINDING_TEXT: Record<FindingCode, string> = {
  not_contracted: '审方日期无有效家庭医生签约',
  not_registered: '审方日期无有效的两病认定登记',
  registration_expired: '认定登记已于审方日期前终止',
  over_max_days: '用药天数超过长处方最长天数',
  over_max_daily_dose: '日剂量超过说明书最大日剂量',
  no_registered_disease: '所开药品不治疗患者已登记的病种',
  duplicate_therapy: '同类药物重复用药',
  overlapping_supply: '同一药品尚有余药（重复配药）',
};

/** Days of each drug the patient still holds on `date`, dispenses of every place carried over in date order. */
export function onHandOn(dispensed: PastDispense[], date: IsoDate): OnHand[] {
  const byDrug = new Map<string, PastDispense[]>();
  for (const d of dispensed) {
    if (d.dispensedOn > date) continue;
    if (!Number.isSafeInteger(d.daysCovered) || d.daysCovered < 0) throw new RangeError(`days covered: ${d.daysCovered}`);
    byDrug.set(d.drugCode, [...(byDrug.get(d.drugCode) ?? []), d]);
  }
  const out: OnHand[] = [];
  for (const [drugCode, list] of byDrug) {
    list.sort((a, b) => (a.dispensedOn < b.dispensedOn ? -1 : a.dispensedOn > b.dispensedOn ? 1 : 0));
    // The supply runs out on `end` (exclusive); a dispense before that is taken after what is left.
    let end: IsoDate | null = null;
    for (const d of list) end = addDays(end !== null && end > d.dispensedOn ? end : d.dispensedOn, d.daysCovered);
    const daysLeft = daysBetween(date, end!);
    if (daysLeft <= 0) continue;
    out.push({
      drugCode,
      classes: list[list.length - 1].classes,
      daysLeft,
      coveredUntil: addDays(end!, -1),
      dispenses: list.map((d) => ({ dispensedOn: d.dispensedOn, daysCovered: d.daysCovered, place: d.place })),
    });
  }
  return out.sort((a, b) => (a.drugCode < b.drugCode ? -1 : a.drugCode > b.drugCode ? 1 : 0));
}

/** Daily units in ten-thousandths, half up (the precision data/drugs.json gives maxDailyUnits in). */
function tenThousandths(f: Fraction): number {
  const num = f.n * 20000 + f.d;
  const den = 2 * f.d;
  return (num - (num % den)) / den;
}

const shared = (a: readonly string[], b: readonly string[]) => a.filter((c) => b.includes(c));

/** Every finding of the pre-check: the patient's first (line null), then each line's, in line order. */
export function reviewFindings(facts: ReviewFacts, params: ReviewParams): Finding[] {
  const { date } = facts;
  const findings: Finding[] = [];

  // Patient: the benefit's scope (seed 002 items 8–10). Block: outside it the prescription is no programme
  // prescription at all; the pharmacist may still approve with a reason (e.g. a renewal filed the same day).
  if (!contractInForce(facts.contracts, date))
    findings.push({
      code: 'not_contracted',
      severity: 'block',
      line: null,
      evidence: { date, contracts: facts.contracts.map((c) => ({ id: c.id, startDate: c.startDate, endDate: c.endDate, status: c.status })) },
      seed: SEED_SCOPE,
    });
  const inForce = facts.registrations.filter((r) => registrationInForce(r, date));
  if (inForce.length === 0) {
    const ended = facts.registrations.filter((r) => r.effectiveTo !== null && r.effectiveTo <= date);
    // An ended registration says more than "none": the patient was in the programme and left it (recovered,
    // revoked, changed) — the doctor files a change (变更登记) rather than a new registration.
    if (ended.length) findings.push({ code: 'registration_expired', severity: 'block', line: null, evidence: { date, ended }, seed: SEED_SCOPE });
    else findings.push({ code: 'not_registered', severity: 'block', line: null, evidence: { date, registrations: facts.registrations }, seed: SEED_SCOPE });
  }
  const registered = [...new Set(inForce.map((r) => r.disease))].sort();
  const onHand = onHandOn(facts.dispensed, date);

  facts.lines.forEach((line, i) => {
    const drugCode = line.drug.code;

    // Over the longest supply: block — a national ceiling (12 weeks) and the policy's own maximum, beyond
    // which the line also leaves the benefit at settlement (supply_too_long).
    if (line.daysSupply > params.maxDaysSupply)
      findings.push({ code: 'over_max_days', severity: 'block', line: i, drugCode, evidence: { daysSupply: line.daysSupply, maxDaysSupply: params.maxDaysSupply }, reference: REF_LONG_PRESCRIPTION });

    // Above the labelling's maximum daily dose: block — an inappropriate dose is returned to the prescriber
    // unless re-confirmed (处方审核规范: 剂量、用法不适宜), which the override reason records.
    const daily = dailyUnits(line.doseUnits, line.frequency);
    if (tenThousandths(daily) > Math.round(line.drug.maxDailyUnits * 10000))
      findings.push({
        code: 'over_max_daily_dose',
        severity: 'block',
        line: i,
        drugCode,
        evidence: { dailyUnits: tenThousandths(daily) / 10000, maxDailyUnits: line.drug.maxDailyUnits, doseUnits: toNumber(fraction(line.doseUnits)), frequency: line.frequency },
        reference: REF_REVIEW,
      });

    // A drug for none of the registered diseases. Block for a chronic-scope drug (a drug for another
    // registry disease: the doctor files a change registration first, seed 002 items 6 and 10). Warn for a
    // drug with no registry disease: legitimate general-outpatient care, but outside the two-disease scope
    // (it settles under general outpatient, seed 002 item 12).
    if (!line.drug.diseases.some((d) => registered.includes(d)))
      findings.push({
        code: 'no_registered_disease',
        severity: line.drug.diseases.length === 0 ? 'warn' : 'block',
        line: i,
        drugCode,
        evidence: { drugDiseases: [...line.drug.diseases], registeredDiseases: registered },
        reference: REF_REVIEW,
        seed: SEED_SCOPE,
      });

    // Two lines of one class (two ARBs): block — the prescriber wrote both, 重复给药 is an inappropriate
    // prescription. Reported once per pair, on the later line.
    for (let j = 0; j < i; j++) {
      const other = facts.lines[j].drug;
      if (other.code === drugCode) continue; // the same drug twice is a data error the caller refuses, not a class duplicate
      const classes = shared(line.drug.classes, other.classes);
      if (classes.length)
        findings.push({ code: 'duplicate_therapy', severity: 'block', line: i, drugCode, evidence: { classes, withLine: j, withDrugCode: other.code }, reference: REF_REVIEW });
    }
    // A line and another drug of its class still on hand beyond the tolerance: warn — often a switch
    // (losartan to valsartan) where the patient is told to stop the old drug; the pharmacist counsels.
    for (const held of onHand) {
      if (held.drugCode === drugCode || held.daysLeft <= params.onHandToleranceDays) continue;
      const classes = shared(line.drug.classes, held.classes);
      if (classes.length) findings.push({ code: 'duplicate_therapy', severity: 'warn', line: i, drugCode, evidence: { classes, onHand: held }, reference: REF_REVIEW });
    }

    // The same drug still on hand beyond the tolerance, from any place: block — the stockpiling the smart
    // audit looks for (seeds 001, 002: duplicate or overlapping supply); an override records why (travel,
    // lost drugs). The tolerance matches what an allowed early renewal leaves (policy on_hand_tolerance).
    const same = onHand.find((h) => h.drugCode === drugCode);
    if (same && same.daysLeft > params.onHandToleranceDays)
      findings.push({ code: 'overlapping_supply', severity: 'block', line: i, drugCode, evidence: { onHand: same, toleranceDays: params.onHandToleranceDays }, reference: REF_REVIEW });
  });
  return findings;
}

/** The findings that stop approval without a recorded override reason. */
export function blocking(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'block');
}
