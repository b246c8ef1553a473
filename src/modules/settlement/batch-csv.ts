// The CSV side of settle-batch, written for a million rows: the input is streamed and its fields are
// found in place (no split, no substring per field, no Map keyed by a million strings), and the output
// is written as bytes. Fields never hold quotes, so cutting at commas is exact; a quote is an error.
import { createReadStream, writeSync } from 'node:fs';
import { parseYuan } from '../../engine/money';
import type { ClaimColumns } from '../../engine/settlement/batch';
import { MAX_AMOUNT_FEN } from '../../engine/settlement/kernel';

export const INPUT_COLUMNS = ['claim_id', 'person_id', 'insurance_type', 'service_date', 'institution_level', 'scope', 'amount'] as const;

export interface RowError {
  line: number;
  message: string;
}

export interface ClaimsCsv {
  cols: ClaimColumns;
  ids: ClaimIds;
  errors: RowError[];
  errorCount: number;
}

/** Claim ids stay where they were read (chunk, start, end): a million retained small strings cost more than the rest of the parse. */
export class ClaimIds {
  constructor(
    readonly chunks: string[],
    readonly chunk: Int32Array,
    readonly start: Int32Array,
    readonly end: Int32Array,
  ) {}
  get(i: number): string {
    return this.chunks[this.chunk[i]].slice(this.start[i], this.end[i]);
  }
}

// ---- field readers -------------------------------------------------------------------------------

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** The date at text[s..e) as the integer YYYYMMDD, or -1 when it is not a calendar date 'YYYY-MM-DD'. */
export function dateAt(text: string, s: number, e: number): number {
  if (e - s !== 10 || text.charCodeAt(s + 4) !== 45 || text.charCodeAt(s + 7) !== 45) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    if (i === s + 4 || i === s + 7) continue;
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  const y = (v / 10000) | 0;
  const m = ((v / 100) | 0) % 100;
  const d = v % 100;
  if (m < 1 || m > 12 || d < 1) return -1;
  return d <= MONTH_DAYS[m] || (m === 2 && d === 29 && isLeap(y)) ? v : -1;
}

/**
 * The amount in yuan at text[s..e) as fen. The plain shape (1–12 digits, optional 1–2 decimals) is read
 * in place; anything else goes to parseYuan, which has the last word and throws on bad input.
 */
export function amountAt(text: string, s: number, e: number): number {
  let fen = 0;
  let i = s;
  for (; i < e && i - s < 12; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    fen = fen * 10 + d;
  }
  if (i > s && i === e) return fen * 100;
  if (i > s && text.charCodeAt(i) === 46 && (e - i === 2 || e - i === 3)) {
    const d1 = text.charCodeAt(i + 1) - 48;
    const d2 = e - i === 3 ? text.charCodeAt(i + 2) - 48 : 0;
    if (d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) return fen * 100 + d1 * 10 + d2;
  }
  return parseYuan(text.slice(s, e));
}

const fieldIs = (text: string, s: number, e: number, word: string) => e - s === word.length && text.startsWith(word, s);

/** FNV-1a of text[s..e). */
function hashAt(text: string, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let k = s; k < e; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h;
}

// ---- reading -------------------------------------------------------------------------------------

function newColumns(cap: number) {
  return {
    count: 0,
    person: new Int32Array(cap),
    date: new Int32Array(cap),
    type: new Uint8Array(cap),
    level: new Uint8Array(cap),
    scope: new Uint8Array(cap),
    amount: new Float64Array(cap),
    line: new Int32Array(cap),
    idHash: new Int32Array(cap),
    idChunk: new Int32Array(cap),
    idStart: new Int32Array(cap),
    idEnd: new Int32Array(cap),
  };
}
type Columns = ReturnType<typeof newColumns>;
const ARRAYS = ['person', 'date', 'type', 'level', 'scope', 'amount', 'line', 'idHash', 'idChunk', 'idStart', 'idEnd'] as const;
function grown(c: Columns): Columns {
  const g = newColumns(c.person.length * 2);
  for (const k of ARRAYS) (g[k] as Int32Array).set(c[k] as Int32Array);
  g.count = c.count;
  return g;
}

/** Dense person indexes. Keyed by hash (a number key is cheap); ids whose hash another id already holds go by name. */
class People {
  readonly names: string[] = [];
  private byHash = new Map<number, number>();
  private byName = new Map<string, number>();
  index(text: string, s: number, e: number): number {
    const h = hashAt(text, s, e);
    const p = this.byHash.get(h);
    if (p === undefined) {
      this.byHash.set(h, this.names.length);
      return this.names.push(text.slice(s, e)) - 1;
    }
    const known = this.names[p];
    if (known.length === e - s && text.startsWith(known, s)) return p;
    const name = text.slice(s, e);
    const q = this.byName.get(name);
    if (q !== undefined) return q;
    this.byName.set(name, this.names.length);
    return this.names.push(name) - 1;
  }
}

/** Reads and checks every row; rows are numbered by physical line, the header being line 1. */
export async function readClaimsCsv(path: string, maxErrors: number): Promise<ClaimsCsv> {
  let cols = newColumns(1 << 16);
  const chunks: string[] = [];
  const people = new People();
  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (line: number, message: string) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ line, message });
  };

  let at: number[] | null = null; // field position of each INPUT_COLUMNS entry
  let headerBad = false; // rows cannot be read against a broken header: report the header alone
  let width = 0;
  let lineNo = 0;
  const fs = new Int32Array(64); // starts and ends of the current line's fields
  const fe = new Int32Array(64);
  const field = (text: string, k: number) => text.slice(fs[at![k]], fe[at![k]]);

  // One line is text[start..end) without its '\n'.
  const onLine = (text: string, start: number, end: number, mayQuote: boolean) => {
    lineNo++;
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF
    if (at === null) {
      if (lineNo === 1 && text.charCodeAt(start) === 0xfeff) start++; // BOM
      const before = errorCount;
      const header = text.slice(start, end);
      at = readHeader(header, fail);
      headerBad = errorCount > before;
      width = header.split(',').length;
      return;
    }
    if (end === start || headerBad) return; // blank lines carry nothing
    if (mayQuote && text.slice(start, end).includes('"')) return fail(lineNo, 'quoted fields are not supported: fields must not contain quotes');
    let n = 0;
    for (let pos = start; ; ) {
      const comma = text.indexOf(',', pos);
      const stop = comma < 0 || comma >= end ? end : comma;
      if (n < 64) {
        fs[n] = pos;
        fe[n] = stop;
      }
      n++;
      if (stop === end) break;
      pos = stop + 1;
    }
    if (n !== width) return fail(lineNo, `expected ${width} fields, found ${n}`);
    const h = at;
    let problems: string[] | null = null; // allocated only for a bad row
    const idS = fs[h[0]];
    const idE = fe[h[0]];
    if (idE === idS) (problems ??= []).push('claim_id is empty');
    if (fe[h[1]] === fs[h[1]]) (problems ??= []).push('person_id is empty');
    const ts = fs[h[2]];
    const te = fe[h[2]];
    const type = fieldIs(text, ts, te, 'resident') ? 0 : fieldIs(text, ts, te, 'employee') ? 1 : -1;
    if (type < 0) (problems ??= []).push(`insurance_type "${field(text, 2)}" is not resident or employee`);
    const date = dateAt(text, fs[h[3]], fe[h[3]]);
    if (date < 0) (problems ??= []).push(`service_date "${field(text, 3)}" is not a calendar date YYYY-MM-DD`);
    const ls = fs[h[4]];
    const le = fe[h[4]];
    const level = fieldIs(text, ls, le, 'grassroots') ? 0 : fieldIs(text, ls, le, 'secondary') ? 1 : fieldIs(text, ls, le, 'tertiary') ? 2 : fieldIs(text, ls, le, 'pharmacy') ? 3 : -1;
    if (level < 0) (problems ??= []).push(`institution_level "${field(text, 4)}" is not grassroots, secondary, tertiary or pharmacy`);
    const ss = fs[h[5]];
    const se = fe[h[5]];
    const scope = fieldIs(text, ss, se, 'two_disease') ? 0 : fieldIs(text, ss, se, 'general') ? 1 : fieldIs(text, ss, se, 'specified_disease') ? 2 : -1;
    if (scope < 0) (problems ??= []).push(`scope "${field(text, 5)}" is not two_disease, general or specified_disease`);
    let amount = -1;
    try {
      amount = amountAt(text, fs[h[6]], fe[h[6]]);
      if (amount > MAX_AMOUNT_FEN) (problems ??= []).push(`amount "${field(text, 6)}" is over the ${MAX_AMOUNT_FEN / 100} yuan a claim may carry`);
    } catch {
      (problems ??= []).push(`amount "${field(text, 6)}" is not a non-negative amount in yuan with at most 2 decimals`);
    }
    if (problems !== null) return fail(lineNo, (problems as string[]).join('; '));

    // Good rows are kept even after a bad one, so that duplicate claim ids are still found.
    const i = cols.count;
    if (i === cols.person.length) cols = grown(cols);
    cols.person[i] = people.index(text, fs[h[1]], fe[h[1]]);
    cols.date[i] = date;
    cols.type[i] = type;
    cols.level[i] = level;
    cols.scope[i] = scope;
    cols.amount[i] = amount;
    cols.line[i] = lineNo;
    cols.idHash[i] = hashAt(text, idS, idE);
    cols.idChunk[i] = chunks.length - 1;
    cols.idStart[i] = idS;
    cols.idEnd[i] = idE;
    cols.count = i + 1;
  };

  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest.length > 0 ? rest + (chunk as string) : (chunk as string);
    chunks.push(text);
    const mayQuote = text.includes('"');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      onLine(text, start, nl, mayQuote);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    chunks.push(rest);
    onLine(rest, 0, rest.length, rest.includes('"'));
  }
  if (at === null) fail(1, `empty file: expected a header with ${INPUT_COLUMNS.join(', ')}`);

  const ids = new ClaimIds(chunks, cols.idChunk, cols.idStart, cols.idEnd);
  for (const d of duplicateIds(cols, ids)) fail(d.line, `claim_id "${ids.get(d.index)}" already appears on line ${d.first}`);
  errors.sort((a, b) => a.line - b.line);
  const { person, date, type, level, scope, amount, count } = cols;
  return { cols: { count, persons: people.names.length, person, date, type, level, scope, amount }, ids, errors, errorCount };
}

/** Column positions by name; every expected column must be there once. Extra columns are ignored. */
function readHeader(line: string, fail: (line: number, message: string) => void): number[] {
  const names = line.split(',').map((n) => n.trim().toLowerCase());
  if (line.includes('"')) fail(1, 'quoted header fields are not supported');
  const dupes = names.filter((n, i) => n && names.indexOf(n) !== i);
  if (dupes.length > 0) fail(1, `duplicate header column(s): ${[...new Set(dupes)].join(', ')}`);
  const missing = INPUT_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) fail(1, `header lacks column(s): ${missing.join(', ')} (expected ${INPUT_COLUMNS.join(',')})`);
  return INPUT_COLUMNS.map((c) => Math.max(0, names.indexOf(c)));
}

/** Rows whose claim id appeared on an earlier line: sort the hashes, compare strings only where hashes meet. */
function duplicateIds(cols: Columns, ids: ClaimIds): Array<{ index: number; line: number; first: number }> {
  const sorted = cols.idHash.slice(0, cols.count).sort();
  const colliding = new Set<number>();
  for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) colliding.add(sorted[k]);
  const dupes: Array<{ index: number; line: number; first: number }> = [];
  if (colliding.size === 0) return dupes;
  const firstLine = new Map<string, number>();
  for (let i = 0; i < cols.count; i++) {
    if (!colliding.has(cols.idHash[i])) continue;
    const id = ids.get(i);
    const first = firstLine.get(id);
    if (first === undefined) firstLine.set(id, cols.line[i]);
    else dupes.push({ index: i, line: cols.line[i], first });
  }
  return dupes;
}

// ---- writing -------------------------------------------------------------------------------------

/** Buffered byte writer for the results: digits go straight into the buffer, no string per field. */
export class CsvWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  private digits = new Uint8Array(24);
  constructor(private fd: number) {}

  /** Room for the next row; a row is never longer than this unless its claim id is. */
  reserve(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes * 2);
  }
  byte(c: number): void {
    this.buf[this.pos++] = c;
  }
  /** Text of at most (reserved) 3 bytes per UTF-16 unit. */
  text(s: string, from = 0, to = s.length): void {
    const buf = this.buf;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) {
        this.pos += buf.write(s.slice(k, to), this.pos, 'utf8');
        return;
      }
      buf[this.pos++] = c;
    }
  }
  /** Fen as yuan with two decimals, exactly as formatYuan writes a non-negative amount ("1230" → "12.30"). */
  yuan(fen: number): void {
    const buf = this.buf;
    let whole = Math.floor(fen / 100);
    const cents = fen - whole * 100;
    let n = 0;
    do {
      this.digits[n++] = 48 + (whole % 10);
      whole = Math.floor(whole / 10);
    } while (whole > 0);
    while (n > 0) buf[this.pos++] = this.digits[--n];
    buf[this.pos++] = 46;
    buf[this.pos++] = 48 + Math.floor(cents / 10);
    buf[this.pos++] = 48 + (cents % 10);
  }
  flush(): void {
    if (this.pos > 0) writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }
}
