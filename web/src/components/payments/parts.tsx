// Small pieces the payment tabs share: the totals cards at the top of a tab, a parameter's source as a
// tooltip, a signed amount (red when negative) and the table's header with a hint.
import { InfoCircleOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Sourced } from '../../pages/payments/types.ts';
import { money, sourceText } from './format.ts';

export interface Figure {
  key: string;
  label: ReactNode;
  value: ReactNode;
  /** A line below the value (a count, a formula). */
  sub?: ReactNode;
  tone?: 'good' | 'bad';
}

/** The totals at the top of a tab. */
export function Figures({ items, testId }: { items: Figure[]; testId: string }) {
  return (
    <div className="pay-figures" data-testid={testId}>
      {items.map((f) => (
        <div key={f.key} className={`pay-figure${f.tone ? ` pay-figure--${f.tone}` : ''}`} data-testid={`${testId}-${f.key}`}>
          <div className="pay-figure__label">{f.label}</div>
          <div className="pay-figure__value">{f.value}</div>
          {f.sub ? <div className="pay-figure__sub">{f.sub}</div> : null}
        </div>
      ))}
    </div>
  );
}

/** The source of a parameter as one line of text, in the user's language. */
export function useSourceText() {
  const { t } = useTranslation();
  return (s: Sourced | undefined) => sourceText(s, { seed: (n) => t('payments.sources.seed', { n }), local: t('payments.sources.local') });
}

/** An info icon whose tooltip says where a parameter comes from. */
export function SourceTip({ source }: { source: Sourced | undefined }) {
  const text = useSourceText()(source);
  if (!text) return null;
  return (
    <Tooltip title={text} styles={{ root: { maxWidth: 420 } }}>
      <InfoCircleOutlined className="pay-source" aria-label={text} />
    </Tooltip>
  );
}

/** An amount of fen; negative ones red. */
export function Signed({ fen, testId }: { fen: number | null | undefined; testId?: string }) {
  const negative = typeof fen === 'number' && fen < 0;
  return (
    <span className={negative ? 'pay-negative' : undefined} data-negative={negative ? 'true' : undefined} data-testid={testId}>
      {money(fen)}
    </span>
  );
}

/** An amount of fen with a line below it (a formula, what it is net of). */
export function Amount({ fen, sub }: { fen: number | null | undefined; sub?: ReactNode }) {
  return (
    <div className="pay-num">
      {money(fen)}
      {sub ? <div className="cell-sub">{sub}</div> : null}
    </div>
  );
}

/** Under a spending figure: what the smart audit recovered of it, when anything was. */
export function useNetOfRecovered() {
  const { t } = useTranslation();
  return (fen: number) => (fen > 0 ? t('payments.netOfRecovered', { value: money(fen) }) : undefined);
}

/** A server-paged table's pager, 20 rows a page, none for a single page. */
export function pagerOf(total: number | undefined, page: number, onChange: (page: number) => void, pageSize = 20) {
  return total !== undefined && total > pageSize ? { current: page, pageSize, total, showSizeChanger: false, size: 'small' as const, onChange } : false;
}

/** A column title with a hint in a tooltip. */
export function HeadTip({ title, tip }: { title: ReactNode; tip: ReactNode }) {
  return (
    <Tooltip title={tip} styles={{ root: { maxWidth: 360 } }}>
      <span className="pay-headtip">
        {title} <InfoCircleOutlined className="pay-source" />
      </span>
    </Tooltip>
  );
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03" → "3月" / "Mar". */
export function useMonthLabel() {
  const { t } = useTranslation();
  return (month: string) => {
    const n = Number(month.slice(5, 7));
    return t('payments.claims.monthValue', { n, name: MONTHS_EN[n - 1] });
  };
}
