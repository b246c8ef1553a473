// Tags for the coded values of health management, so that the worklist, the chart, the form and the
// patient's own page show a classification, an action or a due state the same way.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Classification, DueState, FollowupAction, RiskFlag } from './types.ts';

const CLASSIFICATION_COLOR: Record<Classification, string> = {
  satisfactory: 'success',
  unsatisfactory: 'warning',
  adverse_reaction: 'magenta',
  complication: 'error',
};

/** 控制满意 / 控制不满意 / 不良反应 / 并发症 */
export function ClassificationTag({ value, overridden }: { value: Classification; overridden?: boolean }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={CLASSIFICATION_COLOR[value]} data-testid="classification" data-classification={value}>
      {t(`followup.classification.${value}`)}
      {overridden ? <span className="fu-tag-mark">*</span> : null}
    </Tag>
  );
  return overridden ? <Tooltip title={t('followup.overriddenHint')}>{tag}</Tooltip> : tag;
}

const ACTION_COLOR: Record<FollowupAction, string> = {
  routine: 'default',
  adjust_recheck: 'orange',
  refer_and_check: 'volcano',
  urgent_referral: 'red',
};

export function ActionTag({ value }: { value: FollowupAction }) {
  const { t } = useTranslation();
  return (
    <Tag color={ACTION_COLOR[value]} variant="outlined" data-testid="followup-action" data-action={value}>
      {t(`followup.action.${value}`)}
    </Tag>
  );
}

/** Days overdue in red (orange in the first week), due this week in blue, else the days to go. */
export function DueTag({ state, daysOverdue, daysUntilDue }: { state: DueState; daysOverdue: number; daysUntilDue: number }) {
  const { t } = useTranslation();
  if (state === 'overdue')
    return (
      <Tag color={daysOverdue > 7 ? 'red' : 'orange'} className="fu-due-tag" data-testid="days-overdue" data-days={daysOverdue}>
        {t('followup.daysOverdue', { days: daysOverdue })}
      </Tag>
    );
  if (state === 'due_this_week')
    return (
      <Tag color="blue" className="fu-due-tag" data-testid="due-soon" data-days={daysUntilDue}>
        {daysUntilDue === 0 ? t('followup.dueToday') : t('followup.dueInDays', { days: daysUntilDue })}
      </Tag>
    );
  return (
    <Tag className="fu-due-tag" data-testid="not-due" data-days={daysUntilDue}>
      {t('followup.dueInDays', { days: daysUntilDue })}
    </Tag>
  );
}

const FLAG_COLOR: Record<RiskFlag, string> = {
  age_65_plus: 'default',
  both_diseases: 'purple',
  no_contract: 'default',
  uncontrolled: 'orange',
  referral_pending: 'volcano',
  urgent_referral: 'red',
  adverse_reaction: 'magenta',
  overdue: 'red',
  never_followed_up: 'gold',
};

export function RiskFlagTag({ flag }: { flag: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={FLAG_COLOR[flag as RiskFlag] ?? 'default'} data-testid="risk-flag" data-flag={flag}>
      {t(`followup.riskFlags.${flag}`, { defaultValue: flag })}
    </Tag>
  );
}

/** 导入: on a diagnosis that came from a hospital's system (FHIR import). */
export function ImportedMark() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('followup.imported.tagHint')}>
      <span className="fu-imported-mark" data-testid="imported-mark">
        {t('followup.imported.tag')}
      </span>
    </Tooltip>
  );
}
