import { describe, expect, it } from 'vitest';
import { checkRenewal, earliestRenewal, type RenewalFacts } from './renewal';

const params = { followUpWindowDays: 90, earlyRefillBp: 8000 };
const facts = (over: Partial<RenewalFacts> = {}): RenewalFacts => ({
  date: '2026-06-30',
  followUpVisits: ['2026-06-01'],
  lines: [{ drugCode: 'D0001' }],
  supplies: [],
  ...over,
});

describe('follow_up_required (复诊核验; local window of 90 days)', () => {
  it('passes with a visit on the window’s first day, refuses one day earlier, naming both dates', () => {
    // 2026-06-30 − 90 days = 2026-04-01
    expect(checkRenewal(facts({ followUpVisits: ['2026-04-01'] }), params)).toEqual([]);
    expect(checkRenewal(facts({ followUpVisits: ['2026-03-31', '2026-01-05'] }), params)).toEqual([
      { rule: 'follow_up_required', date: '2026-06-30', windowStart: '2026-04-01', lastVisit: '2026-03-31' },
    ]);
  });

  it('counts a visit on the renewal day, ignores later ones, and names no visit as null', () => {
    expect(checkRenewal(facts({ followUpVisits: ['2026-06-30'] }), params)).toEqual([]);
    expect(checkRenewal(facts({ followUpVisits: ['2026-07-01'] }), params)).toEqual([
      { rule: 'follow_up_required', date: '2026-06-30', windowStart: '2026-04-01', lastVisit: null },
    ]);
    expect(checkRenewal(facts({ followUpVisits: [] }), params)[0]).toMatchObject({ rule: 'follow_up_required', lastVisit: null });
  });
});

describe('early_refill (local: not before 80 % of the last supply’s days)', () => {
  it('computes the earliest day as D + ceil(S × bp / 10000)', () => {
    expect(earliestRenewal('2026-05-01', 60, 8000)).toBe('2026-06-18'); // 48 days
    expect(earliestRenewal('2026-05-01', 28, 8000)).toBe('2026-05-24'); // 22.4 → 23 days
    expect(earliestRenewal('2026-05-01', 28, 0)).toBe('2026-05-01');
  });

  it('refuses the day before the earliest date, allows it on that day, naming both dates', () => {
    const supplies = [{ drugCode: 'D0001', dispensedOn: '2026-05-01', daysSupply: 60 }];
    expect(checkRenewal(facts({ date: '2026-06-18', supplies }), params)).toEqual([]);
    expect(checkRenewal(facts({ date: '2026-06-17', supplies }), params)).toEqual([
      { rule: 'early_refill', line: 0, drugCode: 'D0001', date: '2026-06-17', lastDispensedOn: '2026-05-01', lastDaysSupply: 60, earliest: '2026-06-18' },
    ]);
  });

  it('looks at the same drug’s last supply only, per line', () => {
    const supplies = [
      { drugCode: 'D0001', dispensedOn: '2026-03-01', daysSupply: 84 },
      { drugCode: 'D0001', dispensedOn: '2026-06-01', daysSupply: 28 }, // the last one: earliest 2026-06-24
      { drugCode: 'D0033', dispensedOn: '2026-06-25', daysSupply: 30 }, // after the date: ignored
      { drugCode: 'D0008', dispensedOn: '2026-06-20', daysSupply: 30 },
    ];
    const r = checkRenewal(facts({ date: '2026-06-23', lines: [{ drugCode: 'D0033' }, { drugCode: 'D0001' }, { drugCode: 'D0010' }, { drugCode: 'D0008' }], supplies }), params);
    expect(r.map((x) => x.rule === 'early_refill' && [x.line, x.drugCode, x.earliest])).toEqual([
      [1, 'D0001', '2026-06-24'],
      [3, 'D0008', '2026-07-14'],
    ]);
  });

  it('refuses bad parameters', () => {
    expect(() => checkRenewal(facts(), { followUpWindowDays: 90, earlyRefillBp: 12000 })).toThrow(/bp/);
    expect(() => checkRenewal(facts(), { followUpWindowDays: -1, earlyRefillBp: 8000 })).toThrow(/window/);
  });
});
