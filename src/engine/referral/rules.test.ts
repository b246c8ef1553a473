import { describe, expect, it } from 'vitest';
import {
  answerExpiry, attendExpiry, clinicalSummaryOf, daysToDue, departmentFor, followUpDue, followUpOverdue, isExpired, queueOrder, REFERRAL_PARAMS, urgencyOfVisitAction, waitingTime,
} from './rules';

describe('the down-referral’s 2-week follow-up (spec: 2周内随访转诊情况; seed 003: 出院则必须下转到社康团队)', () => {
  it('is due 14 days after discharge, across a month end', () => {
    expect(REFERRAL_PARAMS.followUpWithinDays).toBe(14);
    expect(followUpDue('2026-06-10')).toBe('2026-06-24');
    expect(followUpDue('2026-06-25')).toBe('2026-07-09');
  });

  it('is overdue the day after the due date unless followed up', () => {
    expect(followUpOverdue('2026-06-24', null, '2026-06-24')).toBe(false);
    expect(followUpOverdue('2026-06-24', null, '2026-06-25')).toBe(true);
    expect(followUpOverdue('2026-06-24', '2026-06-20', '2026-07-30')).toBe(false);
    expect(daysToDue('2026-06-24', '2026-06-27')).toBe(-3);
  });
});

describe('expiry', () => {
  it('expires a requested referral unanswered for 7 days, an accepted one 14 days past its appointment', () => {
    expect(answerExpiry('2026-06-15')).toBe('2026-06-22');
    expect(attendExpiry('2026-06-20')).toBe('2026-07-04');
    expect(isExpired('2026-06-22', '2026-06-22')).toBe(false);
    expect(isExpired('2026-06-22', '2026-06-23')).toBe(true);
    expect(isExpired(null, '2099-01-01')).toBe(false);
    expect(answerExpiry('2026-06-15', { ...REFERRAL_PARAMS, answerWithinDays: 3 })).toBe('2026-06-18');
  });
});

describe('urgency from a follow-up visit', () => {
  it('is urgent for the specification’s urgent referral, routine for refer-and-check, none otherwise', () => {
    expect(urgencyOfVisitAction('urgent_referral')).toBe('urgent');
    expect(urgencyOfVisitAction('refer_and_check')).toBe('routine');
    expect(urgencyOfVisitAction('routine')).toBeNull();
    expect(urgencyOfVisitAction('adjust_recheck')).toBeNull();
  });
});

describe('waiting time and the incoming queue', () => {
  const at = (iso: string) => new Date(iso);
  it('counts whole hours and days to the answer, or to now while waiting', () => {
    expect(waitingTime(at('2026-06-15T02:00:00Z'), at('2026-06-16T08:30:00Z'), at('2026-06-20T00:00:00Z'))).toEqual({ hours: 30, days: 1, answered: true });
    expect(waitingTime(at('2026-06-15T02:00:00Z'), null, at('2026-06-18T01:00:00Z'))).toEqual({ hours: 71, days: 2, answered: false });
    expect(waitingTime(at('2026-06-15T02:00:00Z'), null, at('2026-06-15T01:00:00Z')).hours).toBe(0);
  });

  it('puts urgent first, then the longest waiting', () => {
    const rows = [
      { id: 'routine-old', urgency: 'routine' as const, requestedAt: at('2026-06-01T00:00:00Z') },
      { id: 'urgent-new', urgency: 'urgent' as const, requestedAt: at('2026-06-14T00:00:00Z') },
      { id: 'urgent-old', urgency: 'urgent' as const, requestedAt: at('2026-06-10T00:00:00Z') },
    ];
    expect([...rows].sort(queueOrder).map((r) => r.id)).toEqual(['urgent-old', 'urgent-new', 'routine-old']);
  });
});

describe('a referral from a visit', () => {
  it('summarises the readings, the class and the reasons in Chinese', () => {
    const text = clinicalSummaryOf({
      visitDate: '2026-06-15', diseases: ['hypertension', 'diabetes'], systolic: 185, diastolic: 112, fastingGlucoseTenths: 136, hba1cTenths: null,
      classification: 'unsatisfactory', urgentSigns: ['sbp_ge_180'], reasons: [{ text: '收缩压≥180mmHg，紧急转诊' }],
    });
    expect(text).toBe('2026-06-15 随访；血压 185/112 mmHg；空腹血糖 13.6 mmol/L；分类：控制不满意；紧急转诊征象 1 项。收缩压≥180mmHg，紧急转诊。');
  });

  it('names the usual department for the disease', () => {
    expect(departmentFor(['diabetes'])).toBe('内分泌科');
    expect(departmentFor(['diabetes', 'hypertension'])).toBe('心血管内科');
  });
});
