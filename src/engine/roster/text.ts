// The bytes of an uploaded CSV as text (issue 13). UTF-8 with or without a byte-order mark is read;
// anything else is named, not imported: Chinese agencies' systems and Excel's "CSV" often write
// GBK (GB18030), which decoded as UTF-8 would store mojibake names, and Excel's "Unicode text" is
// UTF-16. The decoders are the platform's WHATWG TextDecoder (no I/O).

export type TextProblem =
  /** Not UTF-8, but reads as GBK / GB18030 Chinese text. */
  | 'encoding_gbk'
  /** A UTF-16 byte-order mark (Excel's "Unicode text"). */
  | 'encoding_utf16'
  /** Neither UTF-8 nor GBK text. */
  | 'encoding_unknown';

const HAN = /[\u4e00-\u9fff]/;

export function decodeText(bytes: Uint8Array): { text: string } | { problem: TextProblem } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return { problem: 'encoding_utf16' };
  try {
    // fatal: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD; the BOM is dropped
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // NULs are not text: a UTF-16 file without its mark, or a binary file
    return text.includes('\u0000') ? { problem: 'encoding_unknown' } : { text };
  } catch {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
      return { problem: HAN.test(text) ? 'encoding_gbk' : 'encoding_unknown' };
    } catch {
      return { problem: 'encoding_unknown' };
    }
  }
}
