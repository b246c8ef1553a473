// A scope's indicators as cards: each rate against its target (met green, not met red; control against a
// reference only, never coloured), the counts beside, the definition on hover, and the patients behind it
// for the roles that may see them; then fund spending and the patients and registration counts.
import { InfoCircleOutlined, TeamOutlined } from '@ant-design/icons';
import { Button, Card, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IndicatorScope, PatientIndicator } from '../../pages/indicators/types.ts';
import { type RateDef, STATUS_COLOR, count, countsText, rateText, ratesFor, statusOf, yuanText } from './rates.ts';

export function GoalLine({ def }: { def: RateDef }) {
  const { t } = useTranslation();
  const g = def.goal;
  if (g.kind === 'target') return <span>{t('indicators.target', { value: g.value })}</span>;
  if (g.kind === 'reference') return <span data-testid="reference-label">{t('indicators.reference', { value: g.value })}</span>;
  return <span>{t('indicators.noTarget')}</span>;
}

export function StatusTag({ status }: { status: ReturnType<typeof statusOf> }) {
  const { t } = useTranslation();
  if (status === 'met') return <Tag color="success">{t('indicators.met')}</Tag>;
  if (status === 'not_met') return <Tag color="error">{t('indicators.notMet')}</Tag>;
  if (status === 'no_data') return <Tag>{t('indicators.noData')}</Tag>;
  return null;
}

/** Every count of an object written with thousands separators, for interpolation. */
const counts = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, count(v)]));

function RateCard({ def, scope, onPatients }: { def: RateDef; scope: IndicatorScope; onPatients?: (indicator: PatientIndicator) => void }) {
  const { t } = useTranslation();
  const r = def.get(scope.indicators);
  const status = statusOf(r, def.goal);
  const control = def.key === 'control_ht' ? scope.indicators.control.hypertension : def.key === 'control_dm' ? scope.indicators.control.diabetes : null;
  return (
    <Card
      size="small"
      className={`ind-card ind-card--${status}`}
      style={{ borderInlineStartColor: STATUS_COLOR[status] }}
      data-testid={`ind-card-${def.key}`}
      data-status={status}
      data-numerator={r?.numerator ?? ''}
      data-denominator={r?.denominator ?? ''}
    >
      <div className="ind-card__head">
        <Typography.Text strong className="ind-card__name">
          {t(`indicators.names.${def.key}`)}
        </Typography.Text>
        <Tooltip title={t(`indicators.definitions.${def.key}`)}>
          <InfoCircleOutlined className="ind-card__info" />
        </Tooltip>
        <span className="ind-card__tag">
          <StatusTag status={status} />
        </span>
      </div>
      <div className="ind-card__value">
        <span className="ind-card__rate" style={{ color: status === 'met' || status === 'not_met' ? STATUS_COLOR[status] : undefined }} data-testid="ind-rate">
          {rateText(r, def.perMille)}
        </span>
        {r && r.denominator > 0 ? <span className="ind-card__counts">{countsText(r)}</span> : null}
      </div>
      <div className="ind-card__goal">
        <GoalLine def={def} />
      </div>
      {control ? (
        <div className="ind-card__extra">
          <div>{t('indicators.cards.controlGroups', counts(control.groups))}</div>
          <div>{t('indicators.cards.controlExcluded', counts(control.excluded))}</div>
        </div>
      ) : null}
      {def.key === 'grassroots' ? <div className="ind-card__extra">{t('indicators.cards.pharmacy', { n: count(scope.indicators.grassroots_visits.pharmacy_claims) })}</div> : null}
      {def.patients && onPatients ? (
        <Button type="link" size="small" icon={<TeamOutlined />} className="ind-card__patients" onClick={() => onPatients(def.patients!)} data-testid={`ind-patients-${def.key}`}>
          {t('indicators.cards.patients')}
        </Button>
      ) : null}
    </Card>
  );
}

function FundCard({ scope }: { scope: IndicatorScope }) {
  const { t } = useTranslation();
  const f = scope.indicators.fund_spending;
  const share = f.amount_fen > 0 ? `${(Math.round((f.self_pay_fen * 1000) / f.amount_fen) / 10).toFixed(1)} %` : '—';
  const money = (fen: number) => t('indicators.fund.yuanValue', { amount: yuanText(fen) });
  return (
    <Card size="small" className="ind-card ind-card--wide" title={t('indicators.fund.title')} data-testid="ind-fund" data-amount-fen={f.amount_fen}>
      <dl className="ind-figures">
        <div>
          <dt>{t('indicators.fund.amount')}</dt>
          <dd data-testid="ind-fund-amount">{money(f.amount_fen)}</dd>
        </div>
        <div>
          <dt>{t('indicators.fund.fundPay')}</dt>
          <dd data-testid="ind-fund-pay">{money(f.fund_pay_fen)}</dd>
        </div>
        <div>
          <dt>{t('indicators.fund.selfPay')}</dt>
          <dd>{money(f.self_pay_fen)}</dd>
        </div>
        <div>
          <dt>{t('indicators.fund.selfShare')}</dt>
          <dd>{share}</dd>
        </div>
        <div>
          <dt>{t('indicators.fund.patients')}</dt>
          <dd>{t('indicators.fund.people', { n: count(f.patients) })}</dd>
        </div>
      </dl>
    </Card>
  );
}

function ActivityCard({ scope }: { scope: IndicatorScope }) {
  const { t } = useTranslation();
  const a = scope.indicators.activity;
  const d = scope.indicators.diagnosed;
  const growth = a.registered_patients_year_before > 0
    ? `${a.registered_patients >= a.registered_patients_year_before ? '+' : ''}${(Math.round(((a.registered_patients - a.registered_patients_year_before) * 1000) / a.registered_patients_year_before) / 10).toFixed(1)} %`
    : '—';
  return (
    <Card size="small" className="ind-card ind-card--wide" title={t('indicators.activity.title')} data-testid="ind-activity">
      <dl className="ind-figures">
        <div className="ind-figures__wide">
          <dt>{t('indicators.activity.diagnosed')}</dt>
          <dd className="ind-figures__text">{t('indicators.activity.diagnosedValue', { hypertension: count(d.hypertension), diabetes: count(d.diabetes), either: count(d.either) })}</dd>
        </div>
        <div className="ind-figures__double">
          <dt>{t('indicators.activity.registered')}</dt>
          <dd>
            {count(a.registered_patients)}
            <div className="cell-sub">
              {t('indicators.activity.yearBefore', { n: count(a.registered_patients_year_before) })} · {t('indicators.activity.growth', { value: growth })}
            </div>
          </dd>
        </div>
        <div>
          <dt>{t('indicators.activity.filed')}</dt>
          <dd>{count(a.filed)}</dd>
        </div>
        <div>
          <dt>{t('indicators.activity.confirmed')}</dt>
          <dd>{count(a.confirmed)}</dd>
        </div>
        <div>
          <dt>{t('indicators.activity.returned')}</dt>
          <dd>{count(a.returned)}</dd>
        </div>
      </dl>
    </Card>
  );
}

export default function KpiGrid({ scope, onPatients }: { scope: IndicatorScope; onPatients?: (indicator: PatientIndicator) => void }) {
  return (
    <div className="ind-grid" data-testid="ind-kpis" data-scope={scope.code}>
      {ratesFor(scope.level).map((def) => (
        <RateCard key={def.key} def={def} scope={scope} onPatients={onPatients} />
      ))}
      <FundCard scope={scope} />
      <ActivityCard scope={scope} />
    </div>
  );
}
