// Renewal (续方) of a long prescription: the two checks the doctor's renewal and the patient's online
// request both pass before a renewal is written (issue 14; DOMAIN.md 3.5 "renewal requires follow-up
// verification (复诊核验)"). Pure: the date is given, never read from a clock.
//
// - follow_up_required: a follow-up visit within the policy's window before the renewal. The window
//   (`prescription.follow_up_window`, 90 days in every shipped policy) is a local parameter: the seeds
//   ask for follow-up verification but give no length; 90 days is a quarter, as the national basic public
//   health service specification asks at least 4 face-to-face follow-ups a year.
// - early_refill: no renewal of the same drug before `prescription.early_refill` (basis points, 8000 =
//   80 % in every shipped policy; local) of the last supply's days have passed.
import { addDays, type IsoDate } from '../calendar';

export interface RenewalParams {
  /** A follow-up visit on or after `date − followUpWindowDays` (and not after `date`) is needed. */
  followUpWindowDays: number;
  /** Share of the last supply's days, in basis points, that must pass before the same drug is renewed. */
  earlyRefillBp: number;
}

/** One earlier supply of a drug to the patient, from any place that dispensed it. */
export interface PastSupply {
  drugCode: string;
  dispensedOn: IsoDate;
  /** Days of supply that dispense covered. */
  daysSupply: number;
}

export interface RenewalFacts {
  /** The day of the renewal. */
  date: IsoDate;
  /** Dates of the patient's follow-up visits (any order; later than `date` ignored). */
  followUpVisits: IsoDate[];
  /** The drugs the renewal prescribes, in line order. */
  lines: Array<{ drugCode: string }>;
  supplies: PastSupply[];
}

export type RenewalRefusal =
  | {
      rule: 'follow_up_required';
      date: IsoDate;
      /** First day a visit counts: date − window. */
      windowStart: IsoDate;
      /** The patient's last visit on or before `date`, or null when none is recorded. */
      lastVisit: IsoDate | null;
    }
  | {
      rule: 'early_refill';
      line: number;
      drugCode: string;
      date: IsoDate;
      lastDispensedOn: IsoDate;
      lastDaysSupply: number;
      /** dispensedOn + ceil(daysSupply × threshold / 10000): the first day a renewal is allowed. */
      earliest: IsoDate;
    };

export const RENEWAL_RULE_TEXT: Record<RenewalRefusal['rule'], string> = {
  follow_up_required: '续方须在规定期限内复诊（复诊核验）',
  early_refill: '上次所配该药尚余较多，未到可续方日期',
};

function checkParams(p: RenewalParams): void {
  if (!Number.isSafeInteger(p.followUpWindowDays) || p.followUpWindowDays < 0) throw new RangeError(`follow-up window in days: ${p.followUpWindowDays}`);
  if (!Number.isSafeInteger(p.earlyRefillBp) || p.earlyRefillBp < 0 || p.earlyRefillBp > 10000) throw new RangeError(`early-refill threshold in bp: ${p.earlyRefillBp}`);
}

/** The first day a renewal of a drug dispensed on `dispensedOn` for `daysSupply` days is allowed. */
export function earliestRenewal(dispensedOn: IsoDate, daysSupply: number, earlyRefillBp: number): IsoDate {
  if (!Number.isSafeInteger(daysSupply) || daysSupply < 0) throw new RangeError(`days of supply: ${daysSupply}`);
  const num = daysSupply * earlyRefillBp;
  const days = (num - (num % 10000)) / 10000 + (num % 10000 > 0 ? 1 : 0); // ceil, in integers
  return addDays(dispensedOn, days);
}

/** The latest supply of a drug dispensed on or before `date` (the longer one when two share a day). */
export function lastSupply(supplies: PastSupply[], drugCode: string, date: IsoDate): PastSupply | null {
  let best: PastSupply | null = null;
  for (const s of supplies) {
    if (s.drugCode !== drugCode || s.dispensedOn > date) continue;
    if (!best || s.dispensedOn > best.dispensedOn || (s.dispensedOn === best.dispensedOn && s.daysSupply > best.daysSupply)) best = s;
  }
  return best;
}

/** Every reason the renewal is refused; an empty list means it may be written. */
export function checkRenewal(facts: RenewalFacts, params: RenewalParams): RenewalRefusal[] {
  checkParams(params);
  const refusals: RenewalRefusal[] = [];
  const windowStart = addDays(facts.date, -params.followUpWindowDays);
  const past = facts.followUpVisits.filter((v) => v <= facts.date).sort();
  const lastVisit = past.length ? past[past.length - 1] : null;
  if (lastVisit === null || lastVisit < windowStart) refusals.push({ rule: 'follow_up_required', date: facts.date, windowStart, lastVisit });
  facts.lines.forEach((line, i) => {
    const last = lastSupply(facts.supplies, line.drugCode, facts.date);
    if (!last) return;
    const earliest = earliestRenewal(last.dispensedOn, last.daysSupply, params.earlyRefillBp);
    if (facts.date < earliest)
      refusals.push({ rule: 'early_refill', line: i, drugCode: line.drugCode, date: facts.date, lastDispensedOn: last.dispensedOn, lastDaysSupply: last.daysSupply, earliest });
  });
  return refusals;
}
