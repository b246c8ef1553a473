import { describe, expect, it } from 'vitest';
import { allowedActions, IN_FORCE, nextStatus, REFERRAL_ACTIONS, REFERRAL_STATUSES, type Direction } from './status';

const steps = (d: Direction) =>
  REFERRAL_STATUSES.flatMap((from) => REFERRAL_ACTIONS.flatMap((a) => { const r = nextStatus(d, from, a); return r.ok ? [`${from} -${a}-> ${r.to}`] : []; })).sort();

describe('the referral state machine (requested → accepted / declined → attended → completed, or expired)', () => {
  it('allows exactly these steps for an up-referral', () => {
    expect(steps('up')).toEqual([
      'accepted -attend-> attended', 'accepted -expire-> expired', 'attended -complete-> completed',
      'requested -accept-> accepted', 'requested -decline-> declined', 'requested -expire-> expired',
    ].sort());
  });

  it('lets a down-referral be followed up with or without the team’s acknowledgement, and never expire', () => {
    expect(steps('down')).toEqual([
      'accepted -follow_up-> attended', 'attended -complete-> completed',
      'requested -accept-> accepted', 'requested -decline-> declined', 'requested -follow_up-> attended',
    ].sort());
    for (const s of REFERRAL_STATUSES) expect(nextStatus('down', s, 'expire').ok).toBe(false);
  });

  it('refuses an illegal step naming the state, the action and what the state allows', () => {
    expect(nextStatus('up', 'requested', 'attend')).toEqual({ ok: false, refusal: { rule: 'illegal_transition', direction: 'up', from: 'requested', action: 'attend', allowed: ['accept', 'decline', 'expire'] } });
    expect(allowedActions('up', 'completed')).toEqual([]);
    expect(nextStatus('up', 'declined', 'accept').ok).toBe(false);
  });

  it('keeps an up-referral in force until it is completed, a down one until it is followed up', () => {
    expect(IN_FORCE.up).toEqual(['requested', 'accepted', 'attended']);
    expect(IN_FORCE.down).toEqual(['requested', 'accepted']);
  });
});
