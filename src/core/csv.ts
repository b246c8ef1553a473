// The CSV files people open in a spreadsheet (the audit log, the worklist, the counter's day list):
// every cell quoted, text that a spreadsheet would run as a formula neutralised, UTF-8 with a BOM so
// Excel reads the Chinese, CRLF line ends.

/** One cell. `numeric`: a value of ours (an amount, maybe negative) that must stay a number. */
export function csvCell(v: unknown, numeric = false): string {
  const s = v === null || v === undefined ? '' : String(v);
  return `"${(!numeric && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"`;
}

/** Lines (already joined cells) as one file. */
export const csvDocument = (lines: string[]) => `\uFEFF${lines.join('\r\n')}\r\n`;

/** '2026-06-15T02:00:00.123456Z' → '2026-06-15 10:00:00' (Asia/Shanghai keeps +08:00 all year). */
export const beijingTime = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
