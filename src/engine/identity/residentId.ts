// Resident identity card numbers (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit
// birth date, 3-digit sequence (odd for men, even for women) and a check digit over ISO 7064 MOD 11-2.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

export type ResidentIdProblem = 'format' | 'birth_date' | 'checksum';

/** The check digit for the first 17 digits. */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** null when valid, otherwise which rule it breaks. Accepts a lower-case x. */
export function residentIdProblem(raw: string): ResidentIdProblem | null {
  const id = raw.toUpperCase();
  if (!SHAPE.test(id)) return 'format';
  if (!isCalendarDate(id.slice(6, 14))) return 'birth_date';
  return checkDigit(id.slice(0, 17)) === id[17] ? null : 'checksum';
}

export function isValidResidentId(raw: string): boolean {
  return residentIdProblem(raw) === null;
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
