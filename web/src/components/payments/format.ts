// How the payment screens write the engine's integers: money is fen (yuan with 2 decimals and thousands
// separators), ratios basis points, a score hundredths of a point, work equivalents thousandths.
import type { Ratio, Sourced } from '../../pages/payments/types.ts';
import { count, rateText, rateValue, yuanText } from '../indicators/rates.ts';

export { count, rateText, rateValue, yuanText };

/** 15853570 → "158,535.70"; null → "—". */
export const money = (fen: number | null | undefined): string => (fen === null || fen === undefined ? '—' : yuanText(fen));

/** 4000 → "40%", 833 → "8.33%". */
export function bpText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  return `${trimZeros((bp / 100).toFixed(2))}%`;
}

/** A ratio of two rates in basis points of one time: 12400 → "1.24" (the caller adds 倍 / ×). */
export const timesText = (bp: number | null | undefined): string => (bp === null || bp === undefined ? '—' : (bp / 10000).toFixed(2));

/** Hundredths of a point: 8725 → "87.25". */
export const pointsText = (hundredths: number): string => (hundredths / 100).toFixed(2);

/** Thousandths of an equivalent: 1500 → "1.5", 1234567 → "1,234.567". */
export function milliText(milli: number): string {
  const whole = Math.floor(Math.abs(milli) / 1000);
  const frac = String(Math.abs(milli) % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${milli < 0 ? '-' : ''}${count(whole)}${frac ? `.${frac}` : ''}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A fraction's value in per cent with one decimal, or null for a denominator of 0. */
export const percentOf = (r: Ratio | undefined): number | null => rateValue(r);

/** The source of a parameter, in one line: the seed and its words, or the local decision. */
export function sourceText(s: Sourced | undefined, labels: { seed: (n: string) => string; local: string }): string {
  if (!s) return '';
  if (s.cite) {
    const where = [s.cite.seed ? labels.seed(s.cite.seed) : s.cite.doc, s.cite.item].filter(Boolean).join(' · ');
    return s.cite.quote ? `${where}：“${s.cite.quote}”` : where;
  }
  return s.local ? `${labels.local}：${s.local}` : '';
}
