// 购药明细: the drug lines of one purchase — drug from the chronic-disease drug list, packs (盒) and,
// when prescribed, days of supply (left empty, the server estimates them from the usual daily dose).
// The continuous prescription (连续处方) can fill the lines in one click.
import { DeleteOutlined, FileAddOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, InputNumber, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { drugName, useDiseaseName, yuan } from '../../format.ts';
import type { Drug, Frequency, PrescriptionLine } from '../../types.ts';
import { newIdempotencyKey } from './api.ts';
import { Money } from './money.tsx';
import type { CartLine } from './types.ts';

export const MAX_QUANTITY = 100;
export const MAX_DAYS = 366;
export const MAX_LINES = 20;

export const emptyCartLine = (): CartLine => ({ key: newIdempotencyKey(), quantity: 1 });

const PER_DAY: Record<Frequency, number> = { qd: 1, bid: 2, tid: 3, qid: 4, qn: 1, qw: 1 / 7 };
const MASS: Record<string, number> = { g: 1000, mg: 1, μg: 0.001, ug: 0.001, mcg: 0.001, iu: 1, u: 1 };
const amountOf = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)\s*(g|mg|μg|ug|mcg|iu|u)\b/i.exec(s.trim());
  return m ? { value: Number(m[1]), unit: m[2].toLowerCase() } : null;
};

/** Units of the drug (片, 粒, 支 …) taken at each dose, when the dose says so plainly. */
function unitsPerDose(dose: string, drug: Drug): number | null {
  const d = dose.trim();
  const count = /^(\d+(?:\.\d+)?)\s*(片|粒|袋|丸|支|贴|揿)$/.exec(d);
  if (count) return Number(count[1]);
  if (d === drug.strength) return drug.unit === '支' ? null : 1; // a pen's strength is the whole pen
  const a = amountOf(d);
  const s = amountOf(drug.strength);
  if (!a || !s) return null;
  const massA = a.unit in MASS && s.unit in MASS && (a.unit === 'iu' || a.unit === 'u') === (s.unit === 'iu' || s.unit === 'u');
  return massA ? (a.value * MASS[a.unit]) / (s.value * MASS[s.unit]) : null;
}

/** Packs that cover the prescribed days at the prescribed dose (at least one; a pen lasts about a month otherwise). */
export function packsFor(line: Pick<PrescriptionLine, 'dose' | 'frequency' | 'daysSupply'>, drug: Drug): number {
  const perDose = unitsPerDose(line.dose, drug);
  const packs =
    perDose !== null
      ? Math.ceil((line.daysSupply * perDose * (PER_DAY[line.frequency] ?? 1)) / drug.packSize - 1e-9)
      : drug.unit === '支'
        ? Math.ceil(line.daysSupply / 30)
        : Math.ceil(line.daysSupply / drug.packSize);
  return Math.min(MAX_QUANTITY, Math.max(1, packs));
}

/** Cart lines from the continuous prescription: its drugs, its days of supply, the packs they need. */
export function linesFromPrescription(prescription: PrescriptionLine[], byCode: Map<string, Drug>): CartLine[] {
  return prescription.slice(0, MAX_LINES).map((p) => {
    const drug = byCode.get(p.drugCode);
    return {
      key: newIdempotencyKey(),
      drugCode: p.drugCode,
      quantity: drug ? packsFor(p, drug) : 1,
      daysSupply: Math.min(MAX_DAYS, p.daysSupply),
    };
  });
}

export type LineField = 'drugCode' | 'quantity' | 'daysSupply';

export default function CartEditor({
  lines,
  onChange,
  drugs,
  drugsLoading,
  registeredDiseases,
  prescription,
  disabled,
  lineErrors,
}: {
  lines: CartLine[];
  onChange: (lines: CartLine[]) => void;
  drugs: Drug[];
  drugsLoading: boolean;
  /** Diseases with a confirmed registration in force: their drugs come first and are marked. */
  registeredDiseases: string[];
  prescription: PrescriptionLine[];
  disabled?: boolean;
  /** The server's complaints, by line index and field. */
  lineErrors: Map<number, Set<LineField>>;
}) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const byCode = new Map(drugs.map((d) => [d.code, d]));
  const registered = new Set(registeredDiseases);
  const inScope = (d: Drug) => d.diseases.some((x) => registered.has(x));

  const options = [...drugs]
    .sort((a, b) => Number(inScope(b)) - Number(inScope(a)) || a.code.localeCompare(b.code))
    .map((d) => ({
      value: d.code,
      label: `${drugName(d)} ${d.strength}`,
      search: `${d.genericNameZh} ${d.genericNameEn} ${d.code} ${d.atc}`,
      drug: d,
    }));

  const update = (key: string, patch: Partial<CartLine>) => onChange(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const remove = (key: string) => onChange(lines.filter((l) => l.key !== key));
  const add = () => onChange([...lines, emptyCartLine()]);
  const [prefilled, setPrefilled] = useState(false);
  const prefill = () => {
    onChange(linesFromPrescription(prescription, byCode));
    setPrefilled(true);
  };
  const status = (i: number, f: LineField) => (lineErrors.get(i)?.has(f) ? ('error' as const) : undefined);

  return (
    <div className="counter-cart" data-testid="cart">
      <div className="counter-cart__tools">
        <Space size={8} wrap>
          <Button icon={<PlusOutlined />} onClick={add} disabled={disabled || lines.length >= MAX_LINES} data-testid="cart-add">
            {t('counter.cart.add')}
          </Button>
          <Tooltip title={prescription.length ? t('counter.cart.fromPrescriptionHint') : t('counter.cart.noPrescription')}>
            <Button
              icon={<FileAddOutlined />}
              onClick={prefill}
              disabled={disabled || !prescription.length || drugsLoading}
              data-testid="cart-prefill"
            >
              {t('counter.cart.fromPrescription', { count: prescription.length })}
            </Button>
          </Tooltip>
        </Space>
        {lines.length ? (
          <Button type="link" danger onClick={() => onChange([])} disabled={disabled} data-testid="cart-clear">
            {t('counter.cart.clear')}
          </Button>
        ) : null}
      </div>

      {prescription.length ? (
        <div className="counter-rx" data-testid="cart-prescription">
          <Typography.Text type="secondary" className="counter-rx__label">
            {t('eligibility.prescription')}
          </Typography.Text>
          {prescription.map((p) => {
            const d = byCode.get(p.drugCode);
            return (
              <span key={`${p.lineNo}-${p.drugCode}`} className="counter-rx__item">
                {d ? drugName(d) : p.drugName} <Typography.Text type="secondary">{p.strength}</Typography.Text> · {p.dose}{' '}
                {t(`frequency.${p.frequency}`, { defaultValue: p.frequency })} · {t('rx.daysValue', { days: p.daysSupply })}
              </span>
            );
          })}
        </div>
      ) : null}

      {lines.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('counter.cart.empty')} />
      ) : (
        <div className="counter-cart__grid" role="table">
          <div className="counter-cart__head" role="row">
            <span>#</span>
            <span>{t('counter.cart.drug')}</span>
            <span>{t('counter.cart.quantity')}</span>
            <span>{t('counter.cart.daysSupply')}</span>
            <span className="counter-num">{t('counter.cart.unitPrice')}</span>
            <span className="counter-num">{t('counter.cart.amount')}</span>
            <span />
          </div>
          {lines.map((l, i) => {
            const drug = l.drugCode ? byCode.get(l.drugCode) : undefined;
            return (
              <div key={l.key} className="counter-cart__row" role="row" data-testid="cart-line" data-drug-code={l.drugCode ?? ''}>
                <span className="counter-cart__no">{i + 1}</span>
                <div>
                  <Select
                    className="full-width"
                    showSearch={{ optionFilterProp: 'search' }}
                    loading={drugsLoading}
                    disabled={disabled}
                    status={status(i, 'drugCode')}
                    placeholder={t('counter.cart.drugPlaceholder')}
                    value={l.drugCode}
                    options={options}
                    onChange={(code: string) => update(l.key, { drugCode: code })}
                    optionRender={(o) => {
                      const d = o.data.drug as Drug;
                      return (
                        <span className="counter-drug-option">
                          <span>
                            {drugName(d)} <Typography.Text type="secondary">{d.strength}</Typography.Text>
                          </span>
                          <span className="counter-drug-option__meta">
                            {d.packSize}
                            {d.unit}/{t('counter.cart.pack')} · {t('counter.yuanValue', { value: yuan(d.priceFen) })}
                            {d.diseases.map((x) => (
                              <Tag key={x} color={registered.has(x) ? 'green' : 'default'} className="counter-drug-option__tag">
                                {diseaseName(x)}
                              </Tag>
                            ))}
                          </span>
                        </span>
                      );
                    }}
                    data-testid="cart-drug"
                  />
                  {drug && !inScope(drug) ? (
                    <Typography.Text type="warning" className="counter-cart__warn" data-testid="cart-line-warning">
                      {t('counter.cart.notRegisteredDisease')}
                    </Typography.Text>
                  ) : null}
                </div>
                <InputNumber
                  min={1}
                  max={MAX_QUANTITY}
                  precision={0}
                  disabled={disabled}
                  status={status(i, 'quantity')}
                  value={l.quantity ?? null}
                  onChange={(v) => update(l.key, { quantity: v })}
                  suffix={t('counter.cart.pack')}
                  className="full-width"
                  aria-label={t('counter.cart.quantity')}
                  data-testid="cart-quantity"
                />
                <InputNumber
                  min={1}
                  max={MAX_DAYS}
                  precision={0}
                  disabled={disabled}
                  status={status(i, 'daysSupply')}
                  value={l.daysSupply ?? null}
                  onChange={(v) => update(l.key, { daysSupply: v })}
                  placeholder={t('counter.cart.daysAuto')}
                  suffix={t('counter.cart.days')}
                  className="full-width"
                  aria-label={t('counter.cart.daysSupply')}
                  data-testid="cart-days"
                />
                <span className="counter-num">{drug ? <Money fen={drug.priceFen} /> : '—'}</span>
                <span className="counter-num">{drug && l.quantity ? <Money fen={drug.priceFen * l.quantity} /> : '—'}</span>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  onClick={() => remove(l.key)}
                  disabled={disabled}
                  aria-label={t('common.remove')}
                  data-testid="cart-remove"
                />
              </div>
            );
          })}
        </div>
      )}
      {prefilled && lines.length ? (
        <Alert type="info" showIcon className="counter-cart__note" title={t('counter.cart.checkQuantities')} />
      ) : null}
    </div>
  );
}
