import { describe, expect, it } from 'vitest';
import { dailyUnits, daysCovered, fraction, lineSupply, packsFor, PER_DAY } from './supply';

describe('frequencies and daily units', () => {
  it('gives administrations per day, a week as a seventh', () => {
    expect(PER_DAY).toEqual({ qd: { n: 1, d: 1 }, bid: { n: 2, d: 1 }, tid: { n: 3, d: 1 }, qid: { n: 4, d: 1 }, qn: { n: 1, d: 1 }, qw: { n: 1, d: 7 } });
    expect(dailyUnits(1, 'qd')).toEqual({ n: 1, d: 1 });
    expect(dailyUnits(2, 'tid')).toEqual({ n: 6, d: 1 });
    expect(dailyUnits(0.5, 'bid')).toEqual({ n: 1, d: 1 });
    expect(dailyUnits(1, 'qn')).toEqual({ n: 1, d: 1 });
    expect(dailyUnits(4, 'qw')).toEqual({ n: 4, d: 7 }); // methotrexate 10 mg a week
    expect(dailyUnits(20 / 300, 'qd')).toEqual({ n: 1, d: 15 }); // 20 IU of a 300 IU pen
    expect(() => dailyUnits(0, 'qd')).toThrow(/zero/);
  });

  it('reads decimals as exact fractions and refuses what is none', () => {
    expect(fraction(1.5)).toEqual({ n: 3, d: 2 });
    expect(fraction({ n: 2, d: 30 })).toEqual({ n: 1, d: 15 });
    expect(() => fraction(Math.PI)).toThrow(/fraction/);
    expect(() => fraction(-1)).toThrow();
  });
});

describe('packs for days, and days for packs', () => {
  it('rounds packs up at the boundary', () => {
    expect(packsFor({ n: 1, d: 1 }, 28, 28)).toBe(1); // exactly one pack
    expect(packsFor({ n: 1, d: 1 }, 29, 28)).toBe(2); // one day more: a second pack
    expect(packsFor({ n: 3, d: 1 }, 60, 60)).toBe(3); // metformin tid for 60 days, packs of 60
    expect(packsFor({ n: 1, d: 15 }, 30, 1)).toBe(2); // 600 IU = exactly 2 pens, not 3 (no float error)
    expect(packsFor({ n: 1, d: 15 }, 31, 1)).toBe(3);
    expect(packsFor({ n: 4, d: 7 }, 84, 16)).toBe(3); // 48 tablets in 12 weeks, packs of 16
    expect(packsFor({ n: 4, d: 7 }, 85, 16)).toBe(4);
  });

  it('rounds days down at the boundary', () => {
    expect(daysCovered(1, 28, { n: 1, d: 1 })).toBe(28);
    expect(daysCovered(2, 28, { n: 2, d: 1 })).toBe(28);
    expect(daysCovered(1, 28, { n: 3, d: 1 })).toBe(9); // 28 / 3 = 9.33
    expect(daysCovered(2, 1, { n: 1, d: 15 })).toBe(30);
    expect(daysCovered(1, 16, { n: 4, d: 7 })).toBe(28); // 16 tablets at 4 a week: 4 weeks
    expect(daysCovered(0, 28, { n: 1, d: 1 })).toBe(0);
  });

  it('a line: packs for its days and the days they really cover', () => {
    expect(lineSupply({ doseUnits: 1, frequency: 'qd', daysSupply: 60 }, 28)).toEqual({ dailyUnits: { n: 1, d: 1 }, packs: 3, daysCovered: 84 });
    expect(lineSupply({ doseUnits: 1, frequency: 'bid', daysSupply: 30 }, 30)).toMatchObject({ packs: 2, daysCovered: 30 });
  });

  it('refuses non-integral days, packs or pack sizes', () => {
    expect(() => packsFor({ n: 1, d: 1 }, 0, 28)).toThrow(/days/);
    expect(() => packsFor({ n: 1, d: 1 }, 1.5, 28)).toThrow(/days/);
    expect(() => daysCovered(1, 0, { n: 1, d: 1 })).toThrow(/pack size/);
    expect(() => daysCovered(-1, 28, { n: 1, d: 1 })).toThrow(/packs/);
  });
});
