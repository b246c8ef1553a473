// Small pieces of the prescription screens: the state tag, the origin, where it is filled, the delivery
// steps, and the server's refusals worded with their dates.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n/index.ts';
import { ruleText } from '../../i18n/problems.ts';
import type { Problem } from '../../types.ts';
import type { FillPlace, PrescriptionOrigin } from './types.ts';

const STATUS_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  under_review: 'blue',
  approved: 'green',
  returned: 'red',
  partly_dispensed: 'gold',
  dispensed: 'cyan',
  expired: 'default',
  cancelled: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status] ?? 'default'} data-testid="rx-status" data-status={status} className={status === 'cancelled' ? 'rx-tag--struck' : undefined}>
      {t(`prescriptions.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function OriginTag({ origin }: { origin: PrescriptionOrigin | string }) {
  const { t } = useTranslation();
  return (
    <Tag variant="filled" color={origin === 'extended' ? 'purple' : origin === 'renewal' ? 'geekblue' : undefined} data-testid="rx-origin">
      {t(`prescriptions.origin.${origin}`, { defaultValue: origin })}
    </Tag>
  );
}

/** 本机构 · X中心 / 定点药店 · Y药房 / 送药到家 · address. */
export function placeText(place: FillPlace | string, institution: string | null, address?: string | null): string {
  const label = i18n.t(`prescriptions.place.${place}`, { defaultValue: place });
  const where = place === 'delivery' ? (address ?? institution) : institution;
  return where ? `${label} · ${where}` : label;
}

type FieldProblem = NonNullable<Problem['errors']>[number];

/**
 * A refusal of the prescription rules in the user's language, with the numbers and dates the server
 * sends as the problem's facts: the policy's longest supply, the follow-up window (复诊核验), the
 * early-refill date.
 */
export function prescriptionRuleText(e: FieldProblem, drugName?: (code: string) => string): string {
  const f = (e.facts ?? {}) as Record<string, string | number | null | undefined>;
  if (e.rule === 'max_days_supply' && f.maxDaysSupply != null) return i18n.t('prescriptions.rules.maxDays', { max: f.maxDaysSupply });
  if (e.rule === 'follow_up_required' && f.windowStart)
    return f.lastVisit ? i18n.t('prescriptions.rules.followUp', { last: f.lastVisit, from: f.windowStart }) : i18n.t('prescriptions.rules.followUpNone', { from: f.windowStart });
  if (e.rule === 'early_refill' && f.drugCode && f.earliest) {
    const code = String(f.drugCode);
    return i18n.t('prescriptions.rules.earlyRefill', { drug: drugName?.(code) ?? code, on: f.lastDispensedOn, days: f.lastDaysSupply, from: f.earliest });
  }
  return ruleText(e.rule, e.message ?? '');
}
