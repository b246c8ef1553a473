// Issue 10 item 11: "routine next visit within 3 months" lives once, in schedule.ts; the classifier and the
// due state use it, and no follow-up code (the worklist's and reminder job's SQL included) restates it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyVisit } from './classify';
import { dueState } from './management';
import { RECHECK_INTERVAL_DAYS, recheckVisit, ROUTINE_INTERVAL_MONTHS, routineNextVisit } from './schedule';

describe('the routine interval', () => {
  it('is 3 calendar months, clamped to the month end; a recheck is 2 weeks', () => {
    expect(ROUTINE_INTERVAL_MONTHS).toBe(3);
    expect(routineNextVisit('2025-11-30')).toBe('2026-02-28');
    expect(routineNextVisit('2023-11-30')).toBe('2024-02-29');
    expect(RECHECK_INTERVAL_DAYS).toBe(14);
    expect(recheckVisit('2025-12-25')).toBe('2026-01-08');
  });
  it('is what the classifier books and what the due state falls back to', () => {
    for (const date of ['2025-01-31', '2025-11-30', '2026-06-15']) {
      const r = classifyVisit({ visitDate: date, birthDate: '1970-01-01', diseases: ['hypertension'], readings: { systolic: 120, diastolic: 80 } });
      expect(r.nextVisitDate).toBe(routineNextVisit(date));
      expect(dueState(date, null, date).dueDate).toBe(routineNextVisit(date));
    }
  });
});

describe('no follow-up code restates it', () => {
  const root = join(import.meta.dirname, '..', '..');
  const sources = ['engine/followup', 'modules/followups'].flatMap((dir) =>
    readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'schedule.ts').map((f) => join(dir, f)));

  it.each(sources)('%s', (file) => {
    const text = readFileSync(join(root, file), 'utf8');
    expect(text).not.toMatch(/interval\s+'\d+\s*mon/i); // an SQL interval literal
    expect(text).not.toMatch(/addMonths\([^)]*,\s*\d+\s*\)/); // a month count in TypeScript
    expect(text).not.toMatch(/months\s*=>\s*\d/); // make_interval with a literal
    expect(text).not.toMatch(/addDays\([^)]*,\s*14\s*\)/); // the recheck interval
  });
});
