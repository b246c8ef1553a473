import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthDateOf, checkDigit, isValidResidentId, maskResidentId, maskResidentIdsIn, PROVINCE_CODES, residentIdProblem, sexOf } from './residentId';

/** A number with a correct check digit: address code, 'YYYYMMDD', 3-digit sequence. */
const idOf = (address: string, birth: string, seq = '002') => `${address}${birth}${seq}` + checkDigit(`${address}${birth}${seq}`);

describe('resident ID numbers (GB 11643)', () => {
  it('accepts the standard example with an X check digit', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('11010519491231002x')).toBe(true);
  });
  it('names the broken rule', () => {
    expect(residentIdProblem('110105194912310021')).toBe('checksum');
    expect(residentIdProblem('1101051949123100')).toBe('format');
    expect(residentIdProblem('11010519491231002Y')).toBe('format');
    expect(residentIdProblem('110105194902300021')).toBe('birth_date'); // 30 February
    expect(residentIdProblem('110105189901010021')).toBe('birth_date');
  });
  it('refuses an address code outside the GB/T 2260 provinces, whatever the check digit', () => {
    for (const prefix of ['00', '10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '83', '90', '99'])
      expect(residentIdProblem(idOf(`${prefix}0105`, '19491231'), '2026-06-15'), prefix).toBe('province');
    for (const prefix of ['11', '15', '21', '23', '31', '33', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82'])
      expect(residentIdProblem(idOf(`${prefix}0105`, '19491231'), '2026-06-15'), prefix).toBeNull();
    expect(PROVINCE_CODES.size).toBe(34); // 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
  });
  it('refuses a birth date after today, and only when today is given', () => {
    const born = (date: string) => idOf('330402', date.replaceAll('-', ''));
    expect(residentIdProblem(born('2026-06-16'), '2026-06-15')).toBe('future_birth');
    expect(residentIdProblem(born('2030-01-01'), '2026-06-15')).toBe('future_birth');
    expect(residentIdProblem(born('2026-06-15'), '2026-06-15')).toBeNull(); // born today
    expect(residentIdProblem(born('2026-06-14'), '2026-06-15')).toBeNull();
    expect(isValidResidentId(born('2026-06-16'), '2026-06-15')).toBe(false);
    expect(residentIdProblem(born('2030-01-01'))).toBeNull(); // no today: the caller did not ask
    // an impossible date is birth_date, not future_birth; a future one with a bad check digit is future_birth
    expect(residentIdProblem(idOf('330402', '20300230'), '2026-06-15')).toBe('birth_date');
    expect(residentIdProblem(born('2030-01-01').slice(0, 17) + (born('2030-01-01')[17] === '0' ? '1' : '0'), '2026-06-15')).toBe('future_birth');
    expect(() => residentIdProblem(born('1980-01-01'), '2026-6-15')).toThrow(RangeError); // a malformed today is a bug
  });
  it('reads birth date and sex', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    expect(sexOf('11010519491231002X')).toBe('female'); // sequence 002
    expect(sexOf('330402198001010011'.slice(0, 17) + checkDigit('33040219800101001'))).toBe('male');
  });
  it('any single changed digit breaks the checksum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const body = '33040219800101001';
        const good = body + checkDigit(body);
        const digit = (Number(good[pos]) + delta) % 10;
        const bad = good.slice(0, pos) + digit + good.slice(pos + 1);
        // changing the birth-date digits may make an impossible date instead; either way it is refused
        expect(isValidResidentId(bad)).toBe(false);
      }),
    );
  });
  it('masks for display and in free text', () => {
    expect(maskResidentId('330402198001010012')).toBe('330402********0012');
    expect(maskResidentIdsIn('GET /api/people?q=11010519491231002X&x=1')).toBe('GET /api/people?q=110105********002X&x=1');
    expect(maskResidentIdsIn('phone 13812345678')).toBe('phone 13812345678');
  });
});
