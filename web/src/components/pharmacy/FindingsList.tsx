// The pre-check's findings (审方预审) as the pharmacist reads them: each rule's wording, its severity
// (阻断 / 提示), the line it concerns, its evidence in words — the supply still on hand (from which place,
// dispensed when, days left), the two drugs of one class, the dose against the labelling — and its reference.
import { CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Empty, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Finding, OnHand } from './api.ts';
import './pharmacy.css';

type T = (key: string, options?: Record<string, unknown>) => string;

/** A drug class's name: the two diseases' classes are worded, others keep their code. */
export function className(t: T, id: string): string {
  return t(`pharmacy.classes.${id}`, { defaultValue: id });
}

function OnHandText({ onHand, drugName }: { onHand: OnHand; drugName: (code: string) => string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="finding-on-hand" data-days-left={onHand.daysLeft}>
      <div>{t('pharmacy.evidence.onHand', { drug: drugName(onHand.drugCode), days: onHand.daysLeft, until: onHand.coveredUntil })}</div>
      <ul className="rx-evidence__dispenses">
        {onHand.dispenses.map((d, i) => (
          <li key={i} data-testid="finding-on-hand-dispense">
            {t('pharmacy.evidence.dispensed', { place: d.place, date: d.dispensedOn, days: d.daysCovered })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Evidence({ f, drugName, unitOf }: { f: Finding; drugName: (code: string) => string; unitOf: (code: string) => string }) {
  const { t } = useTranslation();
  const e = (f.evidence ?? {}) as Record<string, unknown>;
  const classes = ((e.classes as string[] | undefined) ?? []).map((c) => className(t, c)).join('、');
  switch (f.code) {
    case 'duplicate_therapy':
      if (typeof e.withLine === 'number')
        return (
          <span data-testid="finding-pair">
            {t('pharmacy.evidence.pair', {
              drug: drugName(f.drugCode ?? ''),
              line: f.line,
              other: drugName(String(e.withDrugCode ?? '')),
              otherLine: (e.withLine as number) + 1,
              classes,
            })}
          </span>
        );
      return (
        <div>
          <div>{t('pharmacy.evidence.sameClassOnHand', { drug: drugName(f.drugCode ?? ''), classes })}</div>
          {e.onHand ? <OnHandText onHand={e.onHand as OnHand} drugName={drugName} /> : null}
        </div>
      );
    case 'overlapping_supply':
      return (
        <div>
          {e.onHand ? <OnHandText onHand={e.onHand as OnHand} drugName={drugName} /> : null}
          <div className="rx-evidence__muted">{t('pharmacy.evidence.tolerance', { days: e.toleranceDays })}</div>
        </div>
      );
    case 'over_max_days':
      return <span>{t('pharmacy.evidence.maxDays', { days: e.daysSupply, max: e.maxDaysSupply })}</span>;
    case 'over_max_daily_dose': {
      const unit = unitOf(f.drugCode ?? '');
      return (
        <span>
          {t('pharmacy.evidence.maxDose', {
            dose: e.doseUnits,
            frequency: t(`frequency.${String(e.frequency)}`, { defaultValue: String(e.frequency) }),
            daily: e.dailyUnits,
            max: e.maxDailyUnits,
            unit,
          })}
        </span>
      );
    }
    case 'no_registered_disease': {
      const names = (list: unknown) =>
        ((list as string[] | undefined) ?? []).map((d) => t(`diseases.${d}`, { defaultValue: d })).join('、') || t('pharmacy.evidence.none');
      return <span>{t('pharmacy.evidence.diseases', { drug: names(e.drugDiseases), registered: names(e.registeredDiseases) })}</span>;
    }
    case 'not_contracted': {
      const contracts = (e.contracts as Array<{ startDate: string; endDate: string; status: string }> | undefined) ?? [];
      return (
        <span>
          {t('pharmacy.evidence.onDate', { date: e.date })}
          {contracts.length
            ? contracts
                .map((c) => t('pharmacy.evidence.contract', { from: c.startDate, to: c.endDate, status: t(`contractStatus.${c.status}`, { defaultValue: c.status }) }))
                .join('；')
            : t('pharmacy.evidence.noContract')}
        </span>
      );
    }
    case 'registration_expired': {
      const ended = (e.ended as Array<{ disease: string; effectiveTo: string | null }> | undefined) ?? [];
      return (
        <span>
          {t('pharmacy.evidence.onDate', { date: e.date })}
          {ended.map((r) => t('pharmacy.evidence.ended', { disease: t(`diseases.${r.disease}`, { defaultValue: r.disease }), date: r.effectiveTo })).join('；')}
        </span>
      );
    }
    case 'not_registered':
      return <span>{t('pharmacy.evidence.onDate', { date: e.date })}{t('pharmacy.evidence.noRegistration')}</span>;
    default:
      return null;
  }
}

export default function FindingsList({
  findings,
  drugName,
  unitOf,
}: {
  findings: Finding[];
  drugName: (code: string) => string;
  unitOf: (code: string) => string;
}) {
  const { t } = useTranslation();
  if (!findings.length)
    return (
      <Alert
        type="success"
        showIcon
        icon={<CheckCircleOutlined />}
        title={t('pharmacy.review.noFindings')}
        data-testid="findings-none"
      />
    );
  const sorted = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'block' ? -1 : 1));
  return (
    <ul className="rx-findings" data-testid="findings">
      {sorted.map((f, i) => (
        <li key={i} className={`rx-finding rx-finding--${f.severity}`} data-testid="finding" data-code={f.code} data-severity={f.severity} data-line={f.line ?? ''}>
          <div className="rx-finding__head">
            <Tag color={f.severity === 'block' ? 'red' : 'gold'} data-testid="finding-severity">
              {t(`pharmacy.severity.${f.severity}`)}
            </Tag>
            <Typography.Text strong data-testid="finding-text">
              {t(`pharmacy.findingCodes.${f.code}`, { defaultValue: f.text })}
            </Typography.Text>
            <span className="rx-finding__line">
              {f.line === null ? t('pharmacy.review.patientLevel') : t('pharmacy.review.lineN', { n: f.line, drug: drugName(f.drugCode ?? '') })}
            </span>
          </div>
          <div className="rx-finding__evidence" data-testid="finding-evidence">
            <Evidence f={f} drugName={drugName} unitOf={unitOf} />
          </div>
          {f.reference || f.seed ? (
            <div className="rx-finding__ref" data-testid="finding-reference">
              {t('pharmacy.review.reference')}
              {t('counter.colon')}
              {f.reference ?? ''}
              {f.seed ? `${f.reference ? '；' : ''}${t('pharmacy.review.seedRef', { seed: f.seed.seed, item: f.seed.item })}` : ''}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function FindingsEmpty() {
  const { t } = useTranslation();
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.review.pick')} />;
}
