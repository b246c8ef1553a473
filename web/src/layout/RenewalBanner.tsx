// The patient's renewal prompt, above each of their pages: the family-doctor contract ends within
// 30 days (or has ended) and nothing renews it yet. The benefit needs a contract in force, so the
// prompt says so and offers the team's service phone to call.
import { Alert, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useContracts, useMyTeam } from '../hooks/reference.ts';
import type { Contract } from '../types.ts';
import { CallButton } from './TelLink.tsx';
import { useIsPhone } from './useIsPhone.ts';

/** Days before the end from which renewal opens (the server's rule) and the prompt shows. */
export const RENEWAL_WINDOW_DAYS = 30;

type Prompt = { kind: 'ending'; contract: Contract } | { kind: 'ended'; contract: Contract };

/** What to tell the patient about their contracts, or null when nothing needs doing. */
export function renewalPrompt(contracts: Contract[]): Prompt | null {
  const current = contracts.find((c) => c.inForce);
  if (current) {
    // 'renewed': a successor already follows it
    const followed = current.status !== 'active' || contracts.some((c) => c !== current && c.startDate > current.startDate && c.status === 'active');
    return !followed && current.daysToEnd <= RENEWAL_WINDOW_DAYS ? { kind: 'ending', contract: current } : null;
  }
  const latest = [...contracts].sort((a, b) => b.endDate.localeCompare(a.endDate))[0];
  return latest && latest.status === 'lapsed' ? { kind: 'ended', contract: latest } : null;
}

export default function RenewalBanner() {
  const { t } = useTranslation();
  const location = useLocation();
  const phone = useIsPhone();
  const contracts = useContracts('me');
  const prompt = contracts.data ? renewalPrompt(contracts.data) : null;
  const team = useMyTeam(prompt?.kind === 'ending');
  if (!prompt) return null;
  const { contract } = prompt;
  const teamPhone = prompt.kind === 'ending' ? team.data?.phone : null;

  return (
    <Alert
      type={prompt.kind === 'ending' ? 'warning' : 'error'}
      showIcon
      className="renewal-banner"
      data-testid="renewal-prompt"
      data-days={contract.daysToEnd}
      title={
        prompt.kind === 'ending'
          ? contract.daysToEnd > 0
            ? t('renewal.ending', { date: contract.endDate, days: contract.daysToEnd })
            : t('renewal.endingToday', { date: contract.endDate })
          : t('renewal.ended', { date: contract.endDate })
      }
      description={
        <div className="renewal-banner__body">
          <div>{t(prompt.kind === 'ending' ? 'renewal.endingHint' : 'renewal.endedHint', { team: contract.team.name })}</div>
          <Space size={12} wrap className="renewal-banner__actions">
            {teamPhone ? (
              <CallButton phone={teamPhone} block={phone} testId="renewal-call">
                {t('renewal.call', { phone: teamPhone })}
              </CallButton>
            ) : null}
            {location.pathname.startsWith('/my-contract') ? null : <Link to="/my-contract">{t('renewal.seeContract')}</Link>}
          </Space>
        </div>
      }
    />
  );
}
