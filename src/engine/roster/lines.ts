// What every import file is made of once read (issue 13): a header row and numbered lines of cells,
// whether it came from a CSV (every cell text) or an .xlsx worksheet (cells may be numbers or dates).
// Checking a file means checking the header once and then every line, collecting every problem of
// every line — each with its line number, field, rule and a reason in Chinese and English — before
// anything is written; a key repeated on several lines refuses all of them (which one is right is the
// sender's to say). Pure: the callers give "today" and the catalogues as functions.
import { isIsoDate, type IsoDate } from '../calendar';

/** A spreadsheet cell: empty, text, a number, or a date (a date-formatted cell, read as its calendar day). */
export type Cell = null | string | number | { date: IsoDate };

export interface SourceLine {
  /** The line number in the file (CSV: the physical line the record starts on; xlsx: the row number). */
  line: number;
  cells: Cell[];
  /** A CSV record whose quotes are broken (see parseCsv). */
  quoteProblem?: string;
}

export interface Table {
  header: Cell[];
  lines: SourceLine[];
  /**
   * CSV: every line must have as many fields as the header (a short or long line is a shifted one).
   * A worksheet leaves trailing empty cells out, so there only cells beyond the header must be empty.
   */
  fixedWidth: boolean;
}

export interface LineProblem {
  line: number;
  /** The column, or '' for the line as a whole. */
  field: string;
  rule: string;
  zh: string;
  en: string;
}

export interface FileProblem {
  rule: string;
  zh: string;
  en: string;
  /** A wrong header (rule `header`): the columns expected and what is wrong with the ones found, for a client to word. */
  columns?: HeaderColumns;
}

/** What is wrong with a header row: each list by column name as found (lower case; '' for an empty one). */
export interface HeaderColumns {
  expected: string[];
  missing: string[];
  unknown: string[];
  repeated: string[];
}

export interface Checked<Row> {
  rows: Row[];
  problems: LineProblem[];
  /** Data lines read (blank lines are not counted). */
  lines: number;
  /** Lines refused: each has one problem or more. */
  refused: number;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** One line's cells by column, and the problems found so far. */
export class LineCheck {
  readonly problems: LineProblem[] = [];
  constructor(
    readonly line: number,
    private readonly cells: Record<string, Cell>,
  ) {}

  fail(field: string, rule: string, zh: string, en: string): null {
    this.problems.push({ line: this.line, field, rule, zh, en });
    return null;
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  cell(field: string): Cell {
    return this.cells[field] ?? null;
  }

  /** The cell as trimmed text ('' when empty); an integer cell as its digits. */
  text(field: string): string {
    const c = this.cell(field);
    if (c === null) return '';
    if (typeof c === 'number') return Number.isInteger(c) ? c.toFixed(0) : String(c);
    return typeof c === 'string' ? c.trim() : c.date;
  }

  /** Text that must be there. */
  required(field: string, zhName: string): string | null {
    const value = this.text(field);
    return value === '' ? this.fail(field, 'required', `${zhName}（${field}）不能为空`, `${field} is required`) : value;
  }

  /**
   * A code-like value (digits, letters): full-width characters folded to ASCII (NFKC), as Chinese
   * input methods type them. '' when empty.
   */
  code(field: string): string {
    return this.text(field).normalize('NFKC').trim();
  }

  /** A calendar date: a date cell, or text 'YYYY-MM-DD'; not after today. */
  date(field: string, zhName: string, today: IsoDate): IsoDate | null {
    const c = this.cell(field);
    const value = c !== null && typeof c === 'object' ? c.date : this.code(field);
    if (value === '') return this.fail(field, 'required', `${zhName}（${field}）不能为空`, `${field} is required`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return this.fail(field, 'date_format', `${zhName}「${value}」应为 YYYY-MM-DD 格式的日期`, `${field} "${value}" is not a date YYYY-MM-DD`);
    if (!isIsoDate(value)) return this.fail(field, 'calendar_date', `${zhName}「${value}」不是真实的日期`, `${field} "${value}" is not a calendar date`);
    if (value > today) return this.fail(field, 'not_future', `${zhName} ${value} 晚于今天（${today}）`, `${field} ${value} is after today (${today})`);
    return value;
  }

  /** One of the allowed words (compared in lower case), mapped to its stored value. */
  oneOf<T extends string>(field: string, zhName: string, allowed: Record<string, T>): T | null {
    const value = this.code(field);
    if (value === '') return this.fail(field, 'required', `${zhName}（${field}）不能为空`, `${field} is required`);
    const words = Object.keys(allowed).join(' | ');
    return allowed[value.toLowerCase()] ?? this.fail(field, 'one_of', `${zhName}「${value}」应为：${words}`, `${field} "${value}" must be one of: ${words}`);
  }
}

/** The header must name exactly the columns (in any order, case and surrounding spaces ignored). */
export function columnIndex(header: Cell[], columns: readonly string[]): { index: Record<string, number> } | FileProblem {
  const names = header.map((c) => (c === null ? '' : typeof c === 'object' ? c.date : String(c)).replace(/^\uFEFF/, '').trim().toLowerCase());
  while (names.length && names[names.length - 1] === '') names.pop(); // trailing empty columns of a spreadsheet
  const missing = columns.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !columns.includes(n));
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (missing.length || unknown.length || repeated.length) {
    const parts = { zh: [] as string[], en: [] as string[] };
    if (missing.length) parts.zh.push(`缺少列：${missing.join(', ')}`), parts.en.push(`missing: ${missing.join(', ')}`);
    if (unknown.length) parts.zh.push(`多余或拼错的列：${unknown.map((u) => u || '（空）').join(', ')}`), parts.en.push(`not expected: ${unknown.map((u) => u || '(empty)').join(', ')}`);
    if (repeated.length) parts.zh.push(`重复的列：${repeated.join(', ')}`), parts.en.push(`repeated: ${repeated.join(', ')}`);
    return {
      rule: 'header',
      zh: `第 1 行（表头）应为这些列：${columns.join(', ')}；${parts.zh.join('；')}`,
      en: `line 1 (the header) must name the columns ${columns.join(', ')}; ${parts.en.join('; ')}`,
      columns: { expected: [...columns], missing, unknown, repeated },
    };
  }
  return { index: Object.fromEntries(columns.map((c) => [c, names.indexOf(c)])) };
}

const isBlank = (cells: Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/**
 * Checks every line with `checkLine`; a line whose `keyOf` (when it has one) is shared with another
 * line is refused, with every line of the key, rule `duplicate_in_file`.
 */
export function checkLines<Row extends { line: number }>(
  table: Table,
  columns: readonly string[],
  checkLine: (check: LineCheck) => Row | null,
  duplicate: { keyOf: (check: LineCheck) => string | null; field: string; zh: string; en: string },
): Checked<Row> | FileProblem {
  const header = columnIndex(table.header, columns);
  if ('rule' in header) return header;
  const { index } = header;
  const width = Math.max(...Object.values(index)) + 1;
  const rows: Row[] = [];
  const problems: LineProblem[] = [];
  const linesByKey = new Map<string, number[]>();
  const refused = new Set<number>();
  let lines = 0;
  for (const source of table.lines) {
    if (isBlank(source.cells)) continue;
    lines++;
    const cells: Record<string, Cell> = {};
    for (const c of columns) cells[c] = source.cells[index[c]] ?? null;
    const check = new LineCheck(source.line, cells);
    const shifted = table.fixedWidth ? source.cells.length !== table.header.length : source.cells.slice(width).some((c) => c !== null && c !== '');
    if (source.quoteProblem) check.fail('', 'csv_quotes', '引号不成对或位置不对（含逗号、换行的内容应整体用英文双引号括起，内部的引号写两次）', 'the quotes of this line are broken (a field with commas or line breaks goes in double quotes, a quote inside it doubled)');
    else if (shifted) check.fail('', 'field_count', `本行有 ${source.cells.length} 列，表头有 ${table.fixedWidth ? table.header.length : width} 列`, `this line has ${source.cells.length} fields, the header ${table.fixedWidth ? table.header.length : width}`);
    // a shifted line's cells are not the columns they sit under: nothing more is read from it
    const structural = !check.ok;
    for (const c of columns) {
      const v = cells[c];
      if (typeof v === 'string' && CONTROL.test(v)) check.fail(c, 'no_control_characters', `${c} 含有控制字符（换行、制表符等）`, `${c} holds a control character (line break, tab, …)`);
    }
    const row = structural ? null : checkLine(check);
    const key = structural ? null : duplicate.keyOf(check);
    if (key !== null) linesByKey.set(key, [...(linesByKey.get(key) ?? []), source.line]);
    if (row && check.ok) rows.push(row);
    else refused.add(source.line);
    problems.push(...check.problems);
  }
  const repeatedLines = new Map<number, number[]>();
  for (const group of linesByKey.values()) if (group.length > 1) for (const line of group) repeatedLines.set(line, group.filter((l) => l !== line));
  for (const [line, others] of repeatedLines) {
    refused.add(line);
    const listed = others.length > 5 ? [...others.slice(0, 5), '…'] : others;
    problems.push({ line, field: duplicate.field, rule: 'duplicate_in_file', zh: `${duplicate.zh}与第 ${listed.join('、')} 行重复，均未导入`, en: `${duplicate.en} is also on line ${listed.join(', ')}; none of them is imported` });
  }
  problems.sort((a, b) => a.line - b.line);
  return { rows: rows.filter((r) => !repeatedLines.has(r.line)), problems, lines, refused: refused.size };
}
