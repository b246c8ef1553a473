// Why a line was split as it was: the benefit that paid (两病 / 普通门诊 / 不予报销) and the server's
// explanation (written in Chinese by the policy engine); in English the coded reasons are translated and
// the server's sentence stays available on hover.
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n/index.ts';
import { percent } from './money.tsx';
import type { SettledLine } from './types.ts';

const BENEFIT_COLOR: Record<string, string> = { two_disease: 'green', general: 'blue', none: 'red' };

export function BenefitTag({ line }: { line: Pick<SettledLine, 'benefit' | 'ratioBp'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={BENEFIT_COLOR[line.benefit] ?? 'default'} data-testid="line-benefit" data-benefit={line.benefit}>
      {t(`counter.benefit.${line.benefit}`, { defaultValue: line.benefit })}
      {line.benefit === 'none' ? null : ` ${percent(line.ratioBp)}`}
    </Tag>
  );
}

export function explanationText(line: SettledLine, t: TFunction): string {
  if (currentLanguage() === 'zh-CN') return line.explanation;
  const parts = [
    t(`counter.scopeReason.${line.scopeReason}`, { defaultValue: line.scopeReason }),
    t(`counter.reason.${line.reason}`, { defaultValue: line.reason }),
  ];
  if (line.benefit !== 'none') parts.push(t('counter.quote.ratioValue', { ratio: percent(line.ratioBp) }));
  if (line.overLimitFen > 0) parts.push(t('counter.quote.limitReached'));
  return parts.filter(Boolean).join('; ');
}

export default function LineExplanation({ line }: { line: SettledLine }) {
  const { t } = useTranslation();
  const text = explanationText(line, t);
  return (
    <Tooltip title={text === line.explanation ? undefined : line.explanation}>
      <span className="counter-explanation" data-testid="line-explanation">
        {text}
      </span>
    </Tooltip>
  );
}
