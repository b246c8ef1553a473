// An uploaded or given file as a table of cells (issue 13): an .xlsx workbook's first worksheet, or
// CSV text in UTF-8. The type is told by content (file-type), never by the name: an .xls (the old
// binary format) or anything else readable only as bytes is refused, and so is text in GBK or UTF-16.
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { parseCsv } from '../../engine/roster/csv';
import type { Cell, FileProblem, SourceLine, Table } from '../../engine/roster/lines';
import { decodeText, type TextProblem } from '../../engine/roster/text';

export type FileFormat = 'csv' | 'xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const TEXT_PROBLEMS: Record<TextProblem, FileProblem> = {
  encoding_gbk: {
    rule: 'encoding_gbk',
    zh: '文件是 GBK（GB18030）编码，不是 UTF-8：按 GBK 读会得到乱码，因此未导入。请另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重新导入',
    en: 'the file is GBK (GB18030) encoded, not UTF-8; it was not imported rather than storing garbled names. Save it as "CSV UTF-8 (comma delimited)" or .xlsx and import again',
  },
  encoding_utf16: {
    rule: 'encoding_utf16',
    zh: '文件是 UTF-16 编码（Excel 的“Unicode 文本”）：请另存为“CSV UTF-8（逗号分隔）”或 .xlsx',
    en: 'the file is UTF-16 encoded (Excel\'s "Unicode text"); save it as "CSV UTF-8 (comma delimited)" or .xlsx',
  },
  encoding_unknown: { rule: 'encoding_unknown', zh: '文件不是 UTF-8 文本，也不是 .xlsx 工作簿', en: 'the file is neither UTF-8 text nor an .xlsx workbook' },
};

export const emptyFile: FileProblem = { rule: 'empty_file', zh: '文件是空的：第 1 行应为表头', en: 'the file is empty: line 1 must be the header' };

export async function readTable(bytes: Buffer): Promise<{ format: FileFormat; table: Table } | FileProblem> {
  if (bytes.length === 0) return emptyFile;
  const type = await fileTypeFromBuffer(bytes);
  if (type?.mime === XLSX) return readWorkbook(bytes);
  if (type)
    return {
      rule: 'file_type',
      zh: `无法读取 ${type.ext} 文件：请上传 .xlsx 工作簿或 UTF-8 编码的 CSV${type.ext === 'cfb' ? '（旧版 .xls 请在 Excel 中另存为 .xlsx）' : ''}`,
      en: `cannot read a ${type.ext} file: upload an .xlsx workbook or a UTF-8 CSV${type.ext === 'cfb' ? ' (save an old .xls as .xlsx in Excel)' : ''}`,
    };
  const decoded = decodeText(bytes);
  if ('problem' in decoded) return TEXT_PROBLEMS[decoded.problem];
  const [header, ...records] = parseCsv(decoded.text);
  if (!header) return emptyFile;
  const lines: SourceLine[] = records.map((r) => ({ line: r.line, cells: r.fields, ...(r.quoteProblem ? { quoteProblem: r.quoteProblem } : {}) }));
  return { format: 'csv', table: { header: header.fields, lines, fixedWidth: true } };
}

/**
 * The first worksheet stored in the workbook, streamed row by row (a 100,000-line roster loaded
 * whole by exceljs takes most of a gigabyte). Styles are read so that date-formatted cells come
 * back as dates.
 */
async function readWorkbook(bytes: Buffer): Promise<{ format: FileFormat; table: Table } | FileProblem> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'cache', worksheets: 'emit', entries: 'emit' });
  const rows: SourceLine[] = [];
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet as AsyncIterable<{ number: number; values: unknown }>) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : []; // exceljs counts columns from 1
        rows.push({ line: row.number, cells: Array.from(values, cellOf) });
      }
      break; // the first worksheet only
    }
  } catch {
    return { rule: 'file_type', zh: '无法读取该 .xlsx 工作簿（文件已损坏或不完整）', en: 'cannot read this .xlsx workbook (it is damaged or incomplete)' };
  }
  const header = rows[0]?.line === 1 ? rows.shift()!.cells : null;
  if (!header) return { rule: 'empty_file', zh: '第一个工作表的第 1 行应为表头', en: 'row 1 of the first worksheet must be the header' };
  return { format: 'xlsx', table: { header, lines: rows, fixedWidth: false } };
}

/** exceljs cell values: text, numbers and dates as they are; rich text, formulas and links by what they show. */
export function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  // exceljs gives a date cell as the instant of its wall-clock time read as UTC: its UTC day is the day shown
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value.toISOString().slice(0, 10) };
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string; formula?: string; sharedFormula?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellOf(v.result);
    if (v.text !== undefined) return cellOf(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}
