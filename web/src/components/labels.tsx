// Tags and labels for coded values, so that every screen shows a state the same way.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { ageColor, useDiseaseName } from '../format.ts';
import type {
  ChangeReason,
  ContractStatus,
  DiseaseAction,
  FilingKind,
  FilingStatus,
  RegistrationState,
  RevocationReason,
} from '../types.ts';

const REGISTRATION_COLOR: Record<RegistrationState, string> = {
  none: 'default',
  pending: 'processing',
  returned: 'error',
  confirmed: 'success',
};

/** 高血压 · 已确认 */
export function RegistrationTag({
  disease,
  name,
  state,
  compact,
}: {
  disease: string;
  name?: string;
  state: RegistrationState;
  /** Only the state, where the disease is named next to it. */
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  return (
    <Tag color={REGISTRATION_COLOR[state]} data-testid="registration-tag" data-disease={disease} data-state={state}>
      {compact ? null : diseaseName(disease, name)}
      <span className={compact ? undefined : 'tag-meta'}>{t(`registrationState.${state}`)}</span>
    </Tag>
  );
}

const FILING_STATUS_COLOR: Record<FilingStatus, string> = {
  submitted: 'processing',
  returned: 'error',
  approved: 'success',
  withdrawn: 'default',
};

export function FilingStatusTag({ status }: { status: FilingStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={FILING_STATUS_COLOR[status]} data-testid="filing-status" data-status={status}>
      {t(`filingStatus.${status}`)}
    </Tag>
  );
}

const CONTRACT_STATUS_COLOR: Record<ContractStatus, string> = {
  active: 'success',
  renewed: 'blue',
  lapsed: 'default',
  terminated: 'red',
};

export function ContractStatusTag({ status }: { status: ContractStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CONTRACT_STATUS_COLOR[status]} data-testid="contract-status" data-status={status}>
      {t(`contractStatus.${status}`)}
    </Tag>
  );
}

export function filingKindText(
  t: (key: string) => string,
  kind: FilingKind,
  changeReason: ChangeReason | null | undefined,
  revocationReason: RevocationReason | null | undefined,
): string {
  const base = t(`filingKind.${kind}`);
  if (kind === 'change' && changeReason) return `${base} · ${t(`changeReason.${changeReason}`)}`;
  if (kind === 'revocation' && revocationReason) return `${base} · ${t(`revocationReason.${revocationReason}`)}`;
  return base;
}

export function FilingKindTag(props: {
  kind: FilingKind;
  changeReason?: ChangeReason | null;
  revocationReason?: RevocationReason | null;
}) {
  const { t } = useTranslation();
  const color = props.kind === 'initial' ? 'cyan' : props.kind === 'change' ? 'purple' : 'volcano';
  return (
    <Tag color={color} variant="outlined" data-testid="filing-kind">
      {filingKindText(t, props.kind, props.changeReason, props.revocationReason)}
    </Tag>
  );
}

const ACTION_COLOR: Record<DiseaseAction, string> = { add: 'green', keep: 'blue', remove: 'red' };

/** A disease of a filing with what the filing does to it (新增 / 保留 / 取消). */
export function FilingDiseaseTag({ code, name, action }: { code: string; name?: string; action: DiseaseAction }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  return (
    <Tag color={ACTION_COLOR[action]} variant="outlined">
      {diseaseName(code, name)}
      <span className="tag-meta">{t(`diseaseAction.${action}`)}</span>
    </Tag>
  );
}

/** Days a filing has waited, coloured after 7 and 15 days. */
export function AgeDaysTag({ days }: { days: number }) {
  const { t } = useTranslation();
  const color = ageColor(days);
  return (
    <Tooltip title={days > 15 ? t('review.ageOver15') : days > 7 ? t('review.ageOver7') : undefined}>
      <Tag color={color} className="age-tag" data-testid="age-days" data-age={days}>
        {t('review.ageValue', { days })}
      </Tag>
    </Tooltip>
  );
}

/** Days to the end of a contract: orange within the renewal window, red once past. */
export function DaysToEndTag({ days }: { days: number }) {
  const { t } = useTranslation();
  if (days < 0) return <Tag color="red">{t('contract.expiredDays', { days: -days })}</Tag>;
  if (days <= 30) return <Tag color="orange">{t('contract.daysToEnd', { days })}</Tag>;
  return null;
}
