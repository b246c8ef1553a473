// Money and limit helpers of the counter: fen shown as yuan with two decimals (format.ts), and the
// remaining annual limit read from a quote's or a receipt's lines.
import { useTranslation } from 'react-i18next';
import { yuan } from '../../format.ts';
import type { SettledLine } from './types.ts';

/** 12345 fen → "123.45", tabular digits; `unit` appends 元 / yuan. */
export function Money({ fen, unit, strong, testId }: { fen: number; unit?: boolean; strong?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const text = yuan(fen);
  return (
    <span className={`mono counter-money${strong ? ' counter-money--strong' : ''}`} data-testid={testId} data-fen={fen}>
      {unit ? t('counter.yuanValue', { value: text }) : text}
    </span>
  );
}

export interface RemainingLimit {
  /** Left of the annual limit once this claim is (or was) settled. */
  after: number;
  /** Left before it: `after` plus what the claim's lines drew from the same pool. */
  before: number;
}

/**
 * The server reports, on each line, what is left of that line's pool after the whole claim. Lines of
 * one pool carry the same figure, so the two-disease line's figure plus the fund paid on the lines
 * sharing it is what was left before. null when no line draws on a pool with a limit.
 */
export function remainingLimit(lines: SettledLine[]): RemainingLimit | null {
  const pick = lines.find((l) => l.benefit === 'two_disease' && l.fundRemainingFen !== null) ?? lines.find((l) => l.fundRemainingFen !== null);
  if (!pick || pick.fundRemainingFen === null) return null;
  const after = pick.fundRemainingFen;
  const drawn = lines.filter((l) => l.fundRemainingFen === after).reduce((sum, l) => sum + l.fundPayFen, 0);
  return { after, before: after + drawn };
}

/** Ratio in basis points → "53%". */
export const percent = (bp: number): string => `${bp / 100}%`;

/** What the patient pays on a line: deductible + copay + over the limit. */
export const lineSelfPay = (l: Pick<SettledLine, 'deductibleFen' | 'copayFen' | 'overLimitFen'>): number =>
  l.deductibleFen + l.copayFen + l.overLimitFen;
