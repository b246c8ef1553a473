import { describe, expect, it } from 'vitest';
import { fill, IllegalTransition, isExpiredOn, lastFillDay, mustStep, nextStatus, PRESCRIPTION_ACTIONS, PRESCRIPTION_STATUSES, statusAfterFills, statusAfterTakeBack, TERMINAL_STATUSES } from './status';

describe('the prescription state machine', () => {
  it('allows exactly the steps of the issue', () => {
    const allowed = PRESCRIPTION_STATUSES.flatMap((from) => PRESCRIPTION_ACTIONS.flatMap((a) => { const r = nextStatus(from, a); return r.ok ? [`${from} -${a}-> ${r.to}`] : []; }));
    expect(allowed.sort()).toEqual(
      [
        'draft -submit-> submitted',
        'draft -cancel-> cancelled',
        'submitted -start_review-> under_review',
        'submitted -cancel-> cancelled',
        'under_review -approve-> approved',
        'under_review -return-> returned',
        'returned -resubmit-> submitted',
        'returned -cancel-> cancelled',
        'approved -dispense_part-> partly_dispensed',
        'approved -dispense_rest-> dispensed',
        'approved -expire-> expired',
        'approved -cancel-> cancelled',
        'partly_dispensed -dispense_part-> partly_dispensed',
        'partly_dispensed -dispense_rest-> dispensed',
        'partly_dispensed -expire-> expired',
      ].sort(),
    );
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'dispensed', 'expired']);
  });

  it('refuses an illegal step naming the state, the action and what is allowed', () => {
    expect(nextStatus('under_review', 'cancel')).toEqual({ ok: false, refusal: { rule: 'illegal_transition', from: 'under_review', action: 'cancel', allowed: ['approve', 'return'] } });
    expect(nextStatus('partly_dispensed', 'cancel').ok).toBe(false); // part handed over: return the dispense instead
    expect(nextStatus('draft', 'approve').ok).toBe(false);
    expect(() => mustStep('dispensed', 'dispense_part')).toThrow(IllegalTransition);
    expect(mustStep('returned', 'resubmit')).toBe('submitted');
  });
});

describe('validity', () => {
  it('a 30-day validity counts the approval day: last fill day 29 days later, expired the day after', () => {
    expect(lastFillDay('2026-06-01', 30)).toBe('2026-06-30');
    expect(isExpiredOn('2026-06-01', 30, '2026-06-30')).toBe(false);
    expect(isExpiredOn('2026-06-01', 30, '2026-07-01')).toBe(true);
  });
});

describe('partial fills', () => {
  it('fills in parts, refuses more than remains, and is dispensed at zero', () => {
    expect(fill({ status: 'approved', remaining: 3 }, 1)).toEqual({ ok: true, remaining: 2, status: 'partly_dispensed' });
    expect(fill({ status: 'partly_dispensed', remaining: 2 }, 2)).toEqual({ ok: true, remaining: 0, status: 'dispensed' });
    expect(fill({ status: 'partly_dispensed', remaining: 2 }, 3)).toEqual({ ok: false, refusal: { rule: 'over_remaining', requested: 3, remaining: 2 } });
    expect(fill({ status: 'under_review', remaining: 2 }, 1)).toEqual({ ok: false, refusal: { rule: 'not_fillable', status: 'under_review' } });
    expect(() => fill({ status: 'approved', remaining: 2 }, 0)).toThrow();
  });

  it('refuses a fill after the last fill day', () => {
    const s = { status: 'approved' as const, remaining: 2, approvedOn: '2026-06-01', validityDays: 30 };
    expect(fill(s, 1, '2026-06-30').ok).toBe(true);
    expect(fill(s, 1, '2026-07-01')).toEqual({ ok: false, refusal: { rule: 'expired', lastFillDay: '2026-06-30', date: '2026-07-01' } });
  });

  it('a prescription is dispensed when every line is', () => {
    expect(statusAfterFills([0, 0])).toBe('dispensed');
    expect(statusAfterFills([0, 1])).toBe('partly_dispensed');
  });
});

describe('taking a dispense back', () => {
  it('makes the prescription fillable again: approved when nothing stays dispensed, partly dispensed otherwise', () => {
    expect(statusAfterTakeBack('dispensed', [0, 0])).toBe('approved');
    expect(statusAfterTakeBack('dispensed', [0, 2])).toBe('partly_dispensed');
    expect(statusAfterTakeBack('partly_dispensed', [0])).toBe('approved');
    expect(() => statusAfterTakeBack('approved', [0])).toThrow(/approved/);
  });
});
