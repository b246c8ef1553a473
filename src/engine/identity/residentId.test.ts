import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthDateOf, checkDigit, isValidResidentId, maskResidentId, maskResidentIdsIn, residentIdProblem, sexOf } from './residentId';

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
