// Small pieces of the referral screens: the state, the urgency, the four priorities (四优先), how long a
// referral waited, and the down-referral's follow-up due date (red once overdue).
import { ClockCircleOutlined, ThunderboltFilled } from '@ant-design/icons';
import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Discharge, PRIORITIES, type Priority, type ReferralItem } from './types.ts';

const STATE_COLOR: Record<string, string> = {
  requested: 'processing',
  accepted: 'blue',
  declined: 'red',
  attended: 'cyan',
  completed: 'green',
  expired: 'default',
};

/** A down-referral's states read as the team's follow-up (待随访, 已随访); an up-referral's as the hospital's answer. */
export function ReferralStateTag({ state, direction = 'up' }: { state: string; direction?: string }) {
  const { t } = useTranslation();
  const key = direction === 'down' ? `referral.stateDown.${state}` : `referral.state.${state}`;
  return (
    <Tag color={STATE_COLOR[state] ?? 'default'} data-testid="referral-state" data-state={state}>
      {t(key, { defaultValue: t(`referral.state.${state}`, { defaultValue: state }) })}
    </Tag>
  );
}

export function UrgencyTag({ urgency }: { urgency: string }) {
  const { t } = useTranslation();
  return urgency === 'urgent' ? (
    <Tag color="red" icon={<ThunderboltFilled />} data-testid="referral-urgency" data-urgency={urgency}>
      {t('referral.urgency.urgent')}
    </Tag>
  ) : (
    <Tag data-testid="referral-urgency" data-urgency={urgency}>
      {t('referral.urgency.routine')}
    </Tag>
  );
}

/** The four priorities, the given ones lit; `compact` shows only the given ones. */
export function PriorityFlags({ given, compact = false }: { given: readonly Priority[]; compact?: boolean }) {
  const { t } = useTranslation();
  const shown = compact ? PRIORITIES.filter((p) => given.includes(p)) : PRIORITIES;
  if (!shown.length) return <Typography.Text type="secondary">{t('referral.priorities.none')}</Typography.Text>;
  return (
    <Space size={[4, 4]} wrap data-testid="referral-priorities" data-priorities={given.join(' ')}>
      {shown.map((p) => (
        <Tag key={p} color={given.includes(p) ? 'gold' : undefined} variant={given.includes(p) ? 'solid' : 'outlined'} className={given.includes(p) ? undefined : 'ref-flag--off'}>
          {t(`referral.priorities.${p}`)}
        </Tag>
      ))}
    </Space>
  );
}

/** 等待 3 天 5 小时 while it waits, 等了 … once answered; from whole hours (under one: 不足 1 小时 as 0 小时). */
export function waitingText(t: (key: string, o?: Record<string, unknown>) => string, hoursTotal: number, answered: boolean): string {
  const days = Math.floor(hoursTotal / 24);
  const hours = hoursTotal % 24;
  if (days > 0) return t(answered ? 'referral.waiting.waitedDaysHours' : 'referral.waiting.daysHours', { days, hours });
  return t(answered ? 'referral.waiting.waitedHours' : 'referral.waiting.hours', { hours });
}

export function Waiting({ item }: { item: Pick<ReferralItem, 'waiting'> }) {
  const { t } = useTranslation();
  const w = item.waiting;
  if (!w) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  // a request unanswered for 3 days or more stands out
  const long = !w.answered && w.hours >= 72;
  return (
    <span className={long ? 'ref-waiting ref-waiting--long' : 'ref-waiting'} data-testid="referral-waiting" data-hours={w.hours} data-answered={String(w.answered)}>
      <ClockCircleOutlined /> {waitingText(t, w.hours, w.answered)}
    </span>
  );
}

/** Days from one 'YYYY-MM-DD' to another (calendar days, no time zone involved). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 随访截止 with what it means on `today`: followed up, days left, or overdue in red (the server says which). */
export function FollowUpDue({ discharge, today }: { discharge: Discharge | null; today: string }) {
  const { t } = useTranslation();
  if (!discharge) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const left = daysBetween(today, discharge.followUpDue);
  const state = discharge.followedUp ? 'done' : discharge.overdue ? 'overdue' : 'open';
  return (
    <div className="ref-due" data-testid="referral-due" data-state={state} data-due={discharge.followUpDue}>
      <span className={`mono${state === 'overdue' ? ' ref-due--overdue' : ''}`}>{discharge.followUpDue}</span>
      {state === 'done' ? (
        <Tag color="green">{t('referral.due.followedUp', { date: discharge.followedUp!.on })}</Tag>
      ) : state === 'overdue' ? (
        <Tag color="red" data-testid="referral-overdue">
          {t('referral.due.overdue', { days: Math.max(1, -left) })}
        </Tag>
      ) : left <= 0 ? (
        <Tag color="orange">{t('referral.due.dueToday')}</Tag>
      ) : (
        <Tag color={left <= 3 ? 'orange' : 'blue'}>{t('referral.due.dueIn', { days: left })}</Tag>
      )}
    </div>
  );
}
