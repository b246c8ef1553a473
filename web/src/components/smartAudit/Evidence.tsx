// A finding's evidence as an official reads it: each fact that tripped the rule on a labelled line —
// the drug by its name, the dates, the days left or overlapping, the threshold crossed — never raw JSON.
// Facts are worded by their key (smartAudit.facts.*; a list by `<key>_list` when that reads better) and
// formatted by what they hold: money in yuan, basis points in per cent, days, dates, drug codes as names,
// institution ids as names; a list of claims, lines or drugs becomes a small table of its own. Record
// ids are left out: the drawer shows the claim or prescription itself.
import { Descriptions, Table, Tooltip } from 'antd';
import { type ReactNode, createContext, useContext } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, yuan } from '../../format.ts';

type T = (key: string, options?: Record<string, unknown>) => string;
type Value = unknown;

/** Names for the codes and ids the evidence holds (the drug catalogue, the county's institutions). */
export interface Names {
  drug: (code: string) => string;
  institution: (id: string) => string;
}
const NamesContext = createContext<Names>({ drug: (c) => c, institution: () => '' });
export const NamesProvider = NamesContext.Provider;
export const useNames = (): Names => useContext(NamesContext);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T/;
/** Record ids: not for an official's eyes (institutionId is named instead). */
const HIDDEN = (key: string) => key !== 'institutionId' && /(^id$|Id$|Ids$)/.test(key);
const DRUG_KEYS = /^(drugCode|withDrugCode|drugs)$/;

function label(t: T, key: string, value: Value): string {
  const base = t(`smartAudit.facts.${key}`, { defaultValue: key });
  return Array.isArray(value) && typeof value[0] === 'object' ? t(`smartAudit.facts.${key}_list`, { defaultValue: base }) : base;
}

function scalar(t: T, names: Names, key: string, value: Value): ReactNode {
  if (value === null || value === undefined || value === '') return t('common.none');
  if (typeof value === 'boolean') return value ? t('smartAudit.yes') : t('smartAudit.no');
  if (typeof value === 'number') {
    if (/Fen$/.test(key)) return `¥${yuan(value)}`;
    if (/Bp$/.test(key)) return `${(value / 100).toFixed(2).replace(/\.?0+$/, '')}%`;
    if (/Days$|^days[A-Z]|DaysSupply$/.test(key)) return t('smartAudit.daysValue', { days: value });
    if (key === 'lineNo' || key === 'withLineNo') return t('smartAudit.lineValue', { n: value });
    return String(value);
  }
  if (typeof value === 'string') {
    // a rule's parameter taken from elsewhere: the benefit policy of the claim, or a catalogue
    if (value.startsWith('policy:'))
      return (
        <Tooltip title={<span className="mono">{value.slice('policy:'.length)}</span>}>
          <span className="sa-param-source">{t('smartAudit.fromPolicy')}</span>
        </Tooltip>
      );
    if (value.startsWith('data/')) return <span className="sa-param-source">{t('smartAudit.fromCatalogue')}</span>;
    if (DRUG_KEYS.test(key)) return names.drug(value);
    if (key === 'institutionId') return names.institution(value) || t('smartAudit.otherInstitution');
    if (/disease/i.test(key)) return t(`diseases.${value}`, { defaultValue: value });
    if (key === 'classes' || key === 'class') return t(`pharmacy.classes.${value}`, { defaultValue: value });
    if (key === 'frequency') return t(`frequency.${value}`, { defaultValue: value });
    if (key === 'level') return t(`smartAudit.levels.${value}`, { defaultValue: value });
    if (key === 'status') return t(`contractStatus.${value}`, { defaultValue: value });
    if (INSTANT.test(value)) return <span className="mono">{formatDateTime(value)}</span>;
    return DATE.test(value) ? <span className="mono">{value}</span> : value;
  }
  return String(value);
}

function FactValue({ k, value }: { k: string; value: Value }) {
  const { t } = useTranslation();
  const names = useContext(NamesContext);
  if (Array.isArray(value)) {
    if (value.length === 0) return <>{t('common.none')}</>;
    if (value.every((v) => typeof v !== 'object' || v === null))
      return (
        <>
          {value.map((v, i) => (
            <span key={i}>
              {i ? '、' : ''}
              {scalar(t, names, k, v)}
            </span>
          ))}
        </>
      );
    return <FactTable rows={value as Array<Record<string, Value>>} />;
  }
  if (value !== null && typeof value === 'object') return <FactList facts={value as Record<string, Value>} nested />;
  return <>{scalar(t, names, k, value)}</>;
}

/** A row's nested facts (the last supply of a drug) as columns of their own: `lastSupply.serviceDate`. */
function flatten(row: Record<string, Value>): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(row ?? {})) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of Object.entries(v)) out[`${k}.${kk}`] = vv;
    else out[k] = v;
  }
  return out;
}

function FactTable({ rows }: { rows: Array<Record<string, Value>> }) {
  const { t } = useTranslation();
  const flat = rows.map(flatten);
  const keys = [...new Set(flat.flatMap((r) => Object.keys(r)))].filter((k) => !HIDDEN(k.split('.').pop()!));
  const title = (k: string) => k.split('.').map((part) => label(t, part, undefined)).join(' · ');
  return (
    <Table
      size="small"
      rowKey={(_, i) => String(i)}
      pagination={false}
      className="sa-fact-table"
      dataSource={flat}
      scroll={{ x: 'max-content' }}
      columns={keys.map((k) => ({
        key: k,
        title: <span className="sa-nowrap">{title(k)}</span>,
        render: (_: unknown, r: Record<string, Value>) => <FactValue k={k.split('.').pop()!} value={r[k]} />,
      }))}
      data-testid="evidence-table"
    />
  );
}

/** Facts on labelled lines. */
export function FactList({ facts, nested = false, testId }: { facts: Record<string, Value>; nested?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const entries = Object.entries(facts ?? {}).filter(([k]) => !HIDDEN(k));
  if (!entries.length) return <span>{t('smartAudit.noFacts')}</span>;
  return (
    <Descriptions size="small" column={1} bordered={!nested} className={nested ? 'sa-facts sa-facts--nested' : 'sa-facts'} data-testid={testId}>
      {entries.map(([k, v]) => (
        <Descriptions.Item key={k} label={label(t, k, v)}>
          <span data-testid="evidence-fact" data-key={k}>
            <FactValue k={k} value={v} />
          </span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export default function Evidence({ evidence }: { evidence: Record<string, unknown> }) {
  return <FactList facts={evidence} testId="finding-evidence" />;
}
