import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { decodeText } from './text';

describe('parseCsv (RFC 4180)', () => {
  it('reads fields, quoted commas, doubled quotes and CRLF, numbering each record by its first line', () => {
    const records = parseCsv('a,b,c\r\n"x, y","say ""hi""",\r\n1,2,3');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', ''] },
      { line: 3, fields: ['1', '2', '3'] },
    ]);
  });
  it('keeps a line break inside quotes and counts it for the following records', () => {
    const records = parseCsv('h\n"two\nlines"\nnext\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([[1, ['h']], [2, ['two\nlines']], [4, ['next']]]);
  });
  it('reads LF, CRLF and a lone CR as record ends, and a blank line as one empty field', () => {
    expect(parseCsv('a\rb\n\nc').map((r) => [r.line, r.fields])).toEqual([[1, ['a']], [2, ['b']], [3, ['']], [4, ['c']]]);
  });
  it('names broken quoting on its record instead of guessing', () => {
    expect(parseCsv('ab"c,d')[0].quoteProblem).toBe('stray_quote');
    expect(parseCsv('"ab"c,d')[0].quoteProblem).toBe('after_quote');
    expect(parseCsv('x\n"never closed,d\ne')[1].quoteProblem).toBe('unterminated');
    expect(parseCsv('"fine",d')[0].quoteProblem).toBeUndefined();
  });
});

describe('decodeText', () => {
  const utf8 = new TextEncoder().encode('姓名,张三');
  it('reads UTF-8 with or without a byte-order mark', () => {
    expect(decodeText(utf8)).toEqual({ text: '姓名,张三' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: '姓名,张三' });
  });
  it('names GBK instead of importing mojibake', () => {
    // 张三,男 in GBK
    expect(decodeText(new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xc4, 0xd0]))).toEqual({ problem: 'encoding_gbk' });
  });
  it('names UTF-16 and bytes that are no text', () => {
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00]))).toEqual({ problem: 'encoding_utf16' });
    expect(decodeText(new Uint8Array([0x61, 0x00, 0x62, 0x00]))).toEqual({ problem: 'encoding_unknown' });
    expect(decodeText(new Uint8Array([0x61, 0xe9, 0x2c]))).toEqual({ problem: 'encoding_unknown' }); // Latin-1 é
  });
});
