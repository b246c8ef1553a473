// What may reach the log of a request: URLs and error texts carry search texts, which may be resident
// ID numbers or phone numbers, typed with spaces around them or percent-encoded. They are decoded
// first and masked after, so no encoding slips a full number past the masker.
import { maskResidentIdsIn } from '../engine/identity/residentId';

/** Decodes every run of percent-escapes that decodes to UTF-8 and `+` (a space in a query); leaves the rest as it is. */
export function decodeForLog(text: string): string {
  return text.replace(/\+/g, ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/** Mainland mobile numbers (1[3-9] and nine digits), also after +86 / 0086: the middle four digits hidden. */
export function maskPhonesIn(text: string): string {
  return text.replace(/(?<!\d)((?:\+?86|0086)?[\s-]?1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/** Full-width digits (０-９) and X read as the ASCII ones, so they are masked too. */
const asciiDigits = (text: string) => text.replace(/[０-９Ｘｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** Text as it may be logged: decoded, then ID numbers and phone numbers masked. */
export function maskForLog(text: string): string {
  return maskPhonesIn(maskResidentIdsIn(asciiDigits(decodeForLog(text))));
}
