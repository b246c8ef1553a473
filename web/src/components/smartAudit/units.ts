// What a person types (yuan, per cent; two decimals at most, as the inputs allow) → what the server
// stores (integer fen, basis points), without binary-float drift (0.29 × 100 = 28.999…).
export const fenOfYuan = (value: number): number => Math.round(Number(value.toFixed(2)) * 100);
export const bpOfPercent = (percent: number): number => Math.round(Number(percent.toFixed(2)) * 100);
/** 500 → "5", 1250 → "12.5". */
export const percentOfBp = (bp: number): string => (bp / 100).toFixed(2).replace(/\.?0+$/, '');
