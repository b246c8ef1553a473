// Money is integer fen (分) and ratios are integer basis points (10000 = 100 %) everywhere.
// These helpers are the only place where fen, yuan strings and basis points meet, so rounding
// is done one way only: half up to the fen.

/** fen × basis points, rounded half up to the fen. Both inputs must be non-negative integers. */
export function applyRatio(fen: number, basisPoints: number): number {
  assertFen(fen);
  if (!Number.isInteger(basisPoints) || basisPoints < 0) throw new RangeError(`ratio must be non-negative integer basis points, got ${basisPoints}`);
  // fen × bp stays far below 2^53 for any realistic amount (1e9 fen × 1e4 bp = 1e13).
  return Math.floor((fen * basisPoints + 5000) / 10000);
}

export function assertFen(fen: number): void {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be a non-negative integer number of fen, got ${fen}`);
}

const YUAN = /^(\d{1,12})(?:\.(\d{1,2}))?$/;

/** "12.3" → 1230. Exact: the string is parsed digit by digit, never through a float. */
export function parseYuan(text: string): number {
  const m = YUAN.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not an amount in yuan with at most 2 decimals`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 1230 → "12.30" */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
