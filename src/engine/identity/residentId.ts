// Resident identity card numbers (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit
// birth date, 3-digit sequence (odd for men, even for women) and a check digit over ISO 7064 MOD 11-2.
// The database refuses the same numbers (migration 0009): is_valid_resident_id checks the shape, the
// province, a birth year from 1900 and the check digit; the person row's birth_date column must spell the
// same digits (so they are a calendar date) and a trigger refuses one after today in Asia/Shanghai.

import { compareDates, type IsoDate } from '../calendar';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/**
 * The provinces of GB/T 2260 (the first two digits of an address code): 11–15 North, 21–23 North-east,
 * 31–37 East, 41–46 Central-south, 50–54 South-west, 61–65 North-west, 71 Taiwan, 81 Hong Kong, 82 Macao.
 * The same list is in the database's is_valid_resident_id (migration 0009).
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

export type ResidentIdProblem = 'format' | 'province' | 'birth_date' | 'future_birth' | 'checksum';

/** The check digit for the first 17 digits. */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * null when valid, otherwise the first rule it breaks, in this order: format (17 digits and a digit or
 * X), province (the address code's first two digits), birth_date (not a calendar date from 1900 on),
 * future_birth (born after `today`; born on `today` is fine), checksum. Accepts a lower-case x.
 *
 * `today` is the caller's calendar date in Asia/Shanghai (`shanghaiDate(ctx.now())`): the engine never
 * reads a clock. Without it the future-birth rule is not checked (the database still refuses the row).
 */
export function residentIdProblem(raw: string, today?: IsoDate): ResidentIdProblem | null {
  const id = raw.toUpperCase();
  if (!SHAPE.test(id)) return 'format';
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return 'province';
  if (!isCalendarDate(id.slice(6, 14))) return 'birth_date';
  if (today !== undefined && compareDates(birthDateOf(id), today) > 0) return 'future_birth';
  return checkDigit(id.slice(0, 17)) === id[17] ? null : 'checksum';
}

/** See residentIdProblem for `today`. */
export function isValidResidentId(raw: string, today?: IsoDate): boolean {
  return residentIdProblem(raw, today) === null;
}

/** 'YYYY-MM-DD' encoded in a valid number. */
export function birthDateOf(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

export function sexOf(id: string): 'male' | 'female' {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
}

/** 330402********1234: the address code and the last four stay, the birth date and sequence go. */
export function maskResidentId(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : '*'.repeat(id.length);
}

/** Masks every ID-number-shaped run in free text (log lines, URLs). */
export function maskResidentIdsIn(text: string): string {
  return text.replace(/(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)/g, '$1********$2');
}

function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
