// CSV of what a table shows, made in the browser: UTF-8 with a byte-order mark (so Excel reads the
// Chinese), CRLF lines, fields quoted where they need it, and a text that a spreadsheet would take for a
// formula (=, +, -, @ at the start, not a number) prefixed with an apostrophe.
export type CsvCell = string | number | null | undefined;

function field(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

/** Hands the text to the browser as a download named `name`. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(name, new Blob([text], { type }));
}

export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(name: string, header: readonly CsvCell[], rows: readonly (readonly CsvCell[])[]): void {
  downloadText(name, toCsv(header, rows));
}

/** A file name without characters that file systems refuse. */
export const safeFileName = (name: string): string => name.replace(/[\\/:*?"<>|\s]+/g, '-');
