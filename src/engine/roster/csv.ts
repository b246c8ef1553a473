// A small RFC 4180 reader for the agencies' CSV files (issue 13): fields separated by commas, records
// by CRLF or LF, a field in double quotes may hold commas, line breaks and doubled quotes ("").
// Each record keeps the physical line it starts on, because that is the number a clerk looks for in
// the file. A quote out of place is reported on its record rather than guessed around.

export interface CsvRecord {
  /** 1-based physical line the record starts on (the header is line 1). */
  line: number;
  fields: string[];
  /** Set when the record's quoting is broken: a quote inside an unquoted field, text after a closing quote, or no closing quote. */
  quoteProblem?: 'stray_quote' | 'after_quote' | 'unterminated';
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    // one record: fields until an unquoted line break or the end
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        let parts = '';
        let from = ++i;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            record.quoteProblem ??= 'unterminated';
            parts += text.slice(from);
            i = n;
            break;
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          parts += text.slice(from, q);
          i = q + 1;
          break;
        }
        value = parts;
        line += countLineBreaks(value);
        // after the closing quote only a comma or the end of the record may follow
        const after = i;
        while (i < n && !isSeparator(text.charCodeAt(i))) i++;
        if (i > after) record.quoteProblem ??= 'after_quote';
      } else {
        const start = i;
        while (i < n && !isSeparator(text.charCodeAt(i))) i++;
        value = text.slice(start, i);
        if (value.includes('"')) record.quoteProblem ??= 'stray_quote';
      }
      record.fields.push(value);
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      break;
    }
    // the record's line break: CRLF, LF, or a lone CR (old spreadsheet exports)
    if (i < n && text.charCodeAt(i) === CR) i++;
    if (i < n && text.charCodeAt(i) === LF) i++;
    line++;
    records.push(record);
  }
  return records;
}

const isSeparator = (c: number) => c === COMMA || c === LF || c === CR;

function countLineBreaks(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}
