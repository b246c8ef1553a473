// 开方 (family doctor): a prescription for a registered patient of the team — anew, from the
// registration's continuous prescription (连续处方), as a renewal of an earlier one (续方) or as an
// extension of a tertiary hospital's (延伸处方). Drug lines from the catalogue with dose (units per
// administration), frequency and days; the packs are the server's (dose × frequency × days), estimated
// here until it answers. A supply over 30 days is a long prescription (长处方) and says why the patient is
// stable; the policy's longest supply is shown. Every prescription names where it is filled (云处方):
// the own institution, a designated chain pharmacy, or home delivery. Saved as a draft or submitted for
// the pharmacist's review (提交审方); the server's refusals land at their fields, with their dates.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Drawer, Empty, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api.ts';
import { toFieldPath } from '../../formErrors.ts';
import { drugName, todayIso } from '../../format.ts';
import { useEligibility, usePharmacies } from '../../hooks/reference.ts';
import { errorLines } from '../../notify.ts';
import { FREQUENCIES, type Frequency, type PersonDetail, type PrescriptionLine } from '../../types.ts';
import { type CatalogueDrug, savePrescription, useAllDrugs, useHospitals, usePersonPrescriptions, useRefreshPrescriptions } from './api.ts';
import { OriginTag, StatusTag, prescriptionRuleText } from './labels.tsx';
import {
  FILL_PLACES,
  ORIGINS,
  RENEWABLE,
  type FillPlace,
  type Prescription,
  type PrescriptionBody,
  type PrescriptionOrigin,
} from './types.ts';
import './prescription.css';

/** A supply longer than this is a long prescription (长处方): it needs a stated reason (write.ts). */
export const LONG_PRESCRIPTION_DAYS = 30;
/** The national ceiling for stable patients (12 weeks), when the policy's is not known yet. */
const NATIONAL_MAX_DAYS = 84;

export interface PrescribeTarget {
  person: { id: string; name: string; idNumber?: string };
  /** A draft or a returned prescription to revise (and submit again). */
  prescription?: Prescription;
  /** A renewal: of this prescription, answering the patient's request when given. */
  renewal?: { renewalOf: string; renewalRequestId?: string };
}

interface LineValues {
  drugCode?: string;
  dose?: number;
  frequency?: Frequency;
  daysSupply?: number;
}

interface Values {
  origin: PrescriptionOrigin;
  renewalOf?: string;
  source?: { prescriptionNo?: string; institutionId?: string };
  lines: LineValues[];
  stableReason?: string;
  fillPlace: FillPlace;
  fillInstitutionId?: string;
  deliveryAddress?: string;
}

const PER_DAY: Record<Frequency, number> = { qd: 1, bid: 2, tid: 3, qid: 4, qn: 1, qw: 1 / 7 };

/** Packs for the days at the dose, as the server counts them (round up); null while incomplete. */
export function estimatePacks(l: LineValues, drug: CatalogueDrug | undefined): number | null {
  if (!drug || !l.dose || !l.frequency || !l.daysSupply) return null;
  return Math.max(1, Math.ceil((l.dose * PER_DAY[l.frequency] * l.daysSupply) / drug.packSize - 1e-9));
}

/** Units per administration from a registration line's dose ("1片", "0.5片", "5mg" of a 5 mg tablet); null when not plain. */
function unitsOf(dose: string, drug: CatalogueDrug | undefined): number | null {
  const d = dose.trim();
  const count = /^(\d+(?:\.\d+)?)\s*(片|粒|袋|丸|支|贴|揿|ml|mL)?$/.exec(d);
  if (count) return Number(count[1]);
  if (drug && d.replace(/\s/g, '') === drug.strength.replace(/\s/g, '')) return 1;
  const a = /^(\d+(?:\.\d+)?)\s*mg$/i.exec(d);
  const s = drug ? /^(\d+(?:\.\d+)?)\s*mg$/i.exec(drug.strength.trim()) : null;
  if (a && s) return Math.round((Number(a[1]) / Number(s[1])) * 1000) / 1000;
  return null;
}

const fromRegistration = (lines: PrescriptionLine[], byCode: Map<string, CatalogueDrug>): LineValues[] =>
  lines.map((l) => ({ drugCode: l.drugCode, dose: unitsOf(l.dose, byCode.get(l.drugCode)) ?? undefined, frequency: l.frequency, daysSupply: l.daysSupply }));

const fromView = (p: Pick<Prescription, 'lines'>): LineValues[] =>
  p.lines.map((l) => ({ drugCode: l.drugCode, dose: l.dose, frequency: l.frequency, daysSupply: l.daysSupply }));

const sameLine = (a: LineValues | undefined, b: Prescription['lines'][number] | undefined) =>
  !!a && !!b && a.drugCode === b.drugCode && a.dose === b.dose && a.frequency === b.frequency && a.daysSupply === b.daysSupply;

const emptyLine = (): LineValues => ({ frequency: 'qd', daysSupply: 30, dose: 1 });

export default function PrescriptionFormDrawer({ target, onClose }: { target: PrescribeTarget | null; onClose: (done?: Prescription) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshPrescriptions();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const [saved, setSaved] = useState<Prescription | null>(target?.prescription ?? null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  /** Fields showing a refusal of the server's, until edited. */
  const serverMarked = useRef(new Set<string>());
  const personId = target?.person.id ?? null;

  const person = useQuery({
    queryKey: ['people', personId],
    queryFn: ({ signal }) => api<PersonDetail>(`/api/people/${encodeURIComponent(personId ?? '')}`, { signal }),
    enabled: personId !== null,
  });
  const eligibility = useEligibility(personId, todayIso());
  const drugs = useAllDrugs();
  const pharmacies = usePharmacies(target !== null);
  const earlier = usePersonPrescriptions(personId);
  const origin: PrescriptionOrigin = Form.useWatch('origin', form) ?? 'new';
  const fillPlace: FillPlace = Form.useWatch('fillPlace', form) ?? 'own';
  const lines: LineValues[] = Form.useWatch('lines', form) ?? [];
  const hospitals = useHospitals(origin === 'extended');

  const maxDays = eligibility.data?.rules?.maxDaysSupply ?? NATIONAL_MAX_DAYS;
  const registered = useMemo(() => new Set((eligibility.data?.registrations ?? []).map((r) => r.disease)), [eligibility.data]);
  const byCode = useMemo(() => new Map((drugs.data ?? []).map((d) => [d.code, d])), [drugs.data]);
  const drugOptions = useMemo(
    () =>
      (drugs.data ?? [])
        .filter((d) => (origin === 'extended' && d.lists.includes('tertiary')) || (d.diseases.length > 0 && (registered.size === 0 || d.diseases.some((x) => registered.has(x)))))
        .map((d) => ({ value: d.code, label: `${drugName(d)} ${d.strength}`, search: `${d.genericNameZh} ${d.genericNameEn} ${d.code}`, drug: d })),
    [drugs.data, origin, registered],
  );
  const renewable = (earlier.data?.items ?? []).filter((p) => RENEWABLE.includes(p.status) && p.id !== saved?.id);
  const tertiary = (hospitals.data ?? []).filter((h) => h.level === 'tertiary');
  const longest = Math.max(0, ...lines.map((l) => l?.daysSupply ?? 0));
  const revising = !!saved;
  const returned = saved?.status === 'returned';

  // a renewal opened from a request or a returned/draft prescription: its lines
  const initial: Values | null = useMemo(() => {
    if (!target) return null;
    const p = target.prescription;
    if (p)
      return {
        origin: p.origin,
        renewalOf: p.renewalOf ?? undefined,
        source: p.source ? { prescriptionNo: p.source.prescriptionNo, institutionId: p.source.institution?.id } : undefined,
        lines: fromView(p),
        stableReason: p.stableReason ?? undefined,
        fillPlace: p.fillPlace,
        fillInstitutionId: p.fillPlace === 'pharmacy' ? p.fillInstitution.id : undefined,
        deliveryAddress: p.deliveryAddress ?? undefined,
      };
    return { origin: target.renewal ? 'renewal' : 'new', renewalOf: target.renewal?.renewalOf, lines: target.renewal ? [] : [emptyLine()], fillPlace: 'own' };
  }, [target]);

  const loadRenewed = async (id: string) => {
    try {
      const p = await api<Prescription>(`/api/prescriptions/${id}`);
      form.setFieldsValue({ lines: fromView(p), stableReason: form.getFieldValue('stableReason') || p.stableReason || undefined });
    } catch (error) {
      setAlert(errorLines(error));
    }
  };

  useEffect(() => {
    if (target?.renewal && !target.prescription) void loadRenewed(target.renewal.renewalOf);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target]);

  // the patient's address is the delivery's by default
  useEffect(() => {
    if (fillPlace === 'delivery' && !form.getFieldValue('deliveryAddress') && person.data?.address) form.setFieldValue('deliveryAddress', person.data.address);
  }, [fillPlace, person.data, form]);

  const onOrigin = (next: PrescriptionOrigin) => {
    setAlert([]);
    if (next === 'continuous') {
      const reg = eligibility.data?.prescription ?? [];
      form.setFieldsValue({ lines: reg.length ? fromRegistration(reg, byCode) : [] });
      if (!reg.length) setAlert([t('prescriptions.form.noContinuous')]);
    } else if (next === 'renewal') {
      form.setFieldsValue({ lines: [], renewalOf: undefined });
    } else if (!(form.getFieldValue('lines') as LineValues[] | undefined)?.length) {
      form.setFieldsValue({ lines: [emptyLine()] });
    }
  };

  const bodyOf = (v: Values, submit: boolean): PrescriptionBody => ({
    personId: target!.person.id,
    origin: v.origin,
    ...(v.origin === 'renewal' ? { renewalOf: v.renewalOf ?? null } : {}),
    ...(!saved && target?.renewal?.renewalRequestId ? { renewalRequestId: target.renewal.renewalRequestId } : {}),
    ...(v.origin === 'extended' ? { source: { prescriptionNo: v.source?.prescriptionNo?.trim() ?? '', institutionId: v.source?.institutionId ?? '' } } : {}),
    lines: (v.lines ?? []).map((l) => ({ drugCode: l.drugCode!, dose: l.dose!, frequency: l.frequency!, daysSupply: l.daysSupply! })),
    stableReason: v.stableReason?.trim() || null,
    fillPlace: v.fillPlace,
    ...(v.fillPlace === 'pharmacy' ? { fillInstitutionId: v.fillInstitutionId ?? null } : {}),
    ...(v.fillPlace === 'delivery' ? { deliveryAddress: v.deliveryAddress?.trim() || null } : {}),
    submit,
  });

  /** The server's refusals at their fields; what has no field (复诊核验) above the form. */
  const showErrors = (error: unknown) => {
    if (!(error instanceof ApiError) || !error.problem.errors?.length) {
      setAlert(errorLines(error));
      return;
    }
    const name = (code: string) => {
      const d = byCode.get(code);
      return d ? drugName(d) : code;
    };
    const registeredFields = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
    const byField = new Map<string, { name: Array<string | number>; errors: string[] }>();
    const unplaced: string[] = [];
    for (const e of error.problem.errors) {
      const text = prescriptionRuleText(e, name);
      let path = e.field ? toFieldPath(e.field) : [];
      // a line as a whole (body.lines.0) shows at its drug; the source as a whole at its hospital
      if (path.length === 2 && path[0] === 'lines') path = [...path, 'drugCode'];
      if (path.length === 1 && path[0] === 'source') path = ['source', 'institutionId'];
      while (path.length && !registeredFields.has(JSON.stringify(path))) path = path.slice(0, -1);
      if (!path.length) {
        if (!unplaced.includes(text)) unplaced.push(text);
        continue;
      }
      const k = JSON.stringify(path);
      const entry = byField.get(k) ?? { name: path, errors: [] };
      if (!entry.errors.includes(text)) entry.errors.push(text);
      byField.set(k, entry);
    }
    form.setFields([...byField.values()].map((f) => ({ name: f.name as never, errors: f.errors })));
    serverMarked.current = new Set(byField.keys());
    setAlert(unplaced.length ? unplaced : [t('prescriptions.form.fixMarked')]);
  };

  const save = async (submit: boolean) => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      setAlert([t('prescriptions.form.fixMarked')]);
      return;
    }
    setBusy(submit ? 'submit' : 'draft');
    setAlert([]);
    try {
      const p = await savePrescription(bodyOf(v, submit), saved?.id);
      refresh();
      form.setFields([...serverMarked.current].map((k) => ({ name: JSON.parse(k) as never, errors: [] })));
      serverMarked.current = new Set();
      if (submit) {
        void message.success(t(returned ? 'prescriptions.form.resubmitted' : 'prescriptions.form.submitted', { no: p.prescriptionNo }));
        onClose(p);
      } else {
        setSaved(p);
        form.setFieldsValue({ lines: fromView(p) });
        void message.success(t('prescriptions.form.draftSaved', { no: p.prescriptionNo }));
      }
    } catch (error) {
      showErrors(error);
    } finally {
      setBusy(null);
    }
  };

  const title = target
    ? t(returned ? 'prescriptions.form.reviseTitle' : target.renewal ? 'prescriptions.form.renewTitle' : 'prescriptions.form.title', { name: target.person.name })
    : '';

  return (
    <Drawer
      open={target !== null}
      size={1080}
      title={title}
      onClose={() => onClose(saved ?? undefined)}
      destroyOnHidden
      data-testid="rx-form-drawer"
      extra={
        saved ? (
          <Space size={6}>
            <span className="mono" data-testid="rx-form-no">
              {saved.prescriptionNo}
            </span>
            <StatusTag status={saved.status} />
          </Space>
        ) : target?.person.idNumber ? (
          <Typography.Text type="secondary" className="mono">
            {target.person.idNumber}
          </Typography.Text>
        ) : null
      }
      footer={
        <div className="drawer-footer">
          <Button onClick={() => onClose(saved ?? undefined)}>{t('common.cancel')}</Button>
          <Button loading={busy === 'draft'} disabled={busy !== null} onClick={() => void save(false)} data-testid="rx-save-draft">
            {returned ? t('prescriptions.form.saveChanges') : t('prescriptions.form.saveDraft')}
          </Button>
          <Button type="primary" loading={busy === 'submit'} disabled={busy !== null} onClick={() => void save(true)} data-testid="rx-submit">
            {returned ? t('prescriptions.form.resubmit') : t('prescriptions.form.submit')}
          </Button>
        </div>
      }
    >
      {target && initial ? (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={initial}
          className="rx-form"
          onValuesChange={() => alert.length && setAlert([])}
          onFieldsChange={(changed) => {
            // a field edited after the server marked it loses the mark (its own rules run again on save)
            const cleared = changed.filter((f) => serverMarked.current.delete(JSON.stringify(f.name)));
            if (cleared.length) form.setFields(cleared.map((f) => ({ name: f.name, errors: [] })));
          }}
          data-testid="rx-form"
        >
          {returned && saved?.reviewNote ? (
            <Alert
              type="warning"
              showIcon
              className="form-alert"
              title={t('prescriptions.detail.returnedBy')}
              description={<span data-testid="rx-form-review-note">{saved.reviewNote}</span>}
            />
          ) : null}
          {alert.length ? (
            <Alert
              type="error"
              showIcon
              className="form-alert"
              title={alert.length === 1 ? alert[0] : undefined}
              description={alert.length > 1 ? <ul className="rx-alert-list">{alert.map((a) => <li key={a}>{a}</li>)}</ul> : undefined}
              data-testid="rx-form-alert"
            />
          ) : null}

          <Form.Item name="origin" label={t('prescriptions.form.origin')}>
            <Radio.Group optionType="button" buttonStyle="solid" disabled={revising || !!target.renewal} onChange={(e) => onOrigin(e.target.value as PrescriptionOrigin)}>
              {ORIGINS.map((o) => (
                <Radio.Button key={o} value={o}>
                  <span data-testid={`rx-origin-${o}`}>{t(`prescriptions.originAction.${o}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          <Typography.Paragraph type="secondary" className="section-hint">
            {t(`prescriptions.form.originHint.${origin}`)}
          </Typography.Paragraph>

          {origin === 'renewal' ? (
            <Form.Item name="renewalOf" label={t('prescriptions.form.renewalOf')} rules={[{ required: true, message: t('prescriptions.form.renewalOfRequired') }]}>
              <Select
                disabled={revising || !!target.renewal}
                loading={earlier.isPending}
                placeholder={t('prescriptions.form.renewalOfPlaceholder')}
                onChange={(id: string) => void loadRenewed(id)}
                notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.form.nothingToRenew')} />}
                options={(target.renewal && !renewable.some((p) => p.id === target.renewal!.renewalOf)
                  ? [{ value: target.renewal.renewalOf, label: t('prescriptions.form.requestedPrescription') }]
                  : []
                ).concat(
                  renewable.map((p) => ({
                    value: p.id,
                    label: `${p.prescriptionNo} · ${p.writtenOn} · ${p.drugs.map((c) => (byCode.get(c) ? drugName(byCode.get(c)!) : c)).join('、')}`,
                  })),
                )}
                data-testid="rx-renewal-of"
              />
            </Form.Item>
          ) : null}

          {origin === 'extended' ? (
            <div className="rx-form__row">
              <Form.Item
                name={['source', 'prescriptionNo']}
                label={t('prescriptions.form.sourceNo')}
                rules={[{ required: true, whitespace: true, min: 2, message: t('prescriptions.form.sourceNoRequired') }]}
              >
                <Input maxLength={60} className="mono" data-testid="rx-source-no" />
              </Form.Item>
              <Form.Item
                name={['source', 'institutionId']}
                label={t('prescriptions.form.sourceInstitution')}
                rules={[{ required: true, message: t('prescriptions.form.sourceInstitutionRequired') }]}
                extra={!hospitals.isPending && !tertiary.length ? t('prescriptions.form.noTertiary') : undefined}
              >
                <Select
                  loading={hospitals.isPending}
                  options={tertiary.map((h) => ({ value: h.id, label: h.name }))}
                  placeholder={t('prescriptions.form.sourceInstitutionPlaceholder')}
                  data-testid="rx-source-institution"
                />
              </Form.Item>
            </div>
          ) : null}

          <div className="rx-form__section-head">
            <Typography.Text strong>{t('prescriptions.form.lines')}</Typography.Text>
            <Typography.Text type="secondary" data-testid="rx-max-days" data-max={maxDays}>
              {t('prescriptions.form.maxDays', { max: maxDays, policy: eligibility.data?.rules?.policyId ?? '' })}
            </Typography.Text>
          </div>
          <Form.List name="lines" rules={[{ validator: async (_, v: LineValues[] | undefined) => { if (!v?.length) throw new Error(t('prescriptions.form.linesRequired')); } }]}>
            {(fields, { add, remove }, { errors }) => (
              <div className="rx-lines" data-testid="rx-lines">
                <div className="rx-lines__head">
                  <span>{t('rx.drug')}</span>
                  <span>{t('prescriptions.form.dose')}</span>
                  <span>{t('rx.frequency')}</span>
                  <span>{t('rx.daysSupply')}</span>
                  <span>{t('prescriptions.form.packs')}</span>
                  <span />
                </div>
                {fields.map((f) => {
                  const value = lines[f.name];
                  const drug = value?.drugCode ? byCode.get(value.drugCode) : undefined;
                  const server = saved && sameLine(value, saved.lines[f.name]) ? saved.lines[f.name]!.quantity : null;
                  const estimate = estimatePacks(value ?? {}, drug);
                  return (
                    <div key={f.key} className="rx-lines__row" data-testid="rx-line">
                      <Form.Item name={[f.name, 'drugCode']} rules={[{ required: true, message: t('rx.drugRequired') }]}>
                        <Select
                          showSearch={{ optionFilterProp: 'search' }}
                          loading={drugs.isPending}
                          placeholder={t('rx.drugPlaceholder')}
                          options={drugOptions}
                          optionRender={(o) => (
                            <span className="drug-option">
                              {o.data.label}
                              <span className="drug-option__meta">
                                {o.data.drug.form} · {o.data.drug.packSize}
                                {o.data.drug.unit}
                              </span>
                              {o.data.drug.vbp ? (
                                <Tag color="green" className="drug-option__vbp">
                                  {t('rx.vbp')}
                                </Tag>
                              ) : null}
                              {!o.data.drug.diseases.some((x) => registered.has(x)) && o.data.drug.lists.includes('tertiary') ? (
                                <Tag color="purple">{t('prescriptions.form.tertiaryList')}</Tag>
                              ) : null}
                            </span>
                          )}
                          popupMatchSelectWidth={460}
                          data-testid="rx-drug"
                        />
                      </Form.Item>
                      <Form.Item name={[f.name, 'dose']} rules={[{ required: true, message: t('prescriptions.form.doseRequired') }]}>
                        <InputNumber min={0.001} max={1000} step={0.5} suffix={drug?.unit ?? ''} className="full-width" data-testid="rx-dose" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'frequency']} rules={[{ required: true, message: t('rx.frequencyRequired') }]}>
                        <Select options={FREQUENCIES.map((q) => ({ value: q, label: `${q} ${t(`frequency.${q}`)}` }))} data-testid="rx-frequency" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'daysSupply']} rules={[{ required: true, message: t('rx.daysRequired') }]}>
                        <InputNumber min={1} max={366} precision={0} suffix={t('rx.days')} className="full-width" data-testid="rx-days" />
                      </Form.Item>
                      <div className="rx-lines__packs" data-testid="rx-line-packs" data-packs={server ?? estimate ?? ''} data-source={server !== null ? 'server' : 'estimate'}>
                        {server !== null ? (
                          <Typography.Text strong>{t('prescriptions.packsValue', { count: server })}</Typography.Text>
                        ) : estimate !== null ? (
                          <Typography.Text type="secondary">{t('prescriptions.form.packsEstimate', { count: estimate })}</Typography.Text>
                        ) : (
                          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
                        )}
                        {drug ? <div className="rx-lines__pack-size">{t('prescriptions.form.packSize', { size: drug.packSize, unit: drug.unit })}</div> : null}
                      </div>
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                    </div>
                  );
                })}
                <div className="rx-lines__foot">
                  <Button size="small" icon={<PlusOutlined />} onClick={() => add(emptyLine())} disabled={fields.length >= 20} data-testid="rx-add-line">
                    {t('rx.addLine')}
                  </Button>
                  <Typography.Text type="secondary">{t('prescriptions.form.packsHint')}</Typography.Text>
                </div>
                <Form.ErrorList errors={errors} />
              </div>
            )}
          </Form.List>

          <Form.Item
            name="stableReason"
            label={
              <span>
                {t('prescriptions.form.stableReason')}{' '}
                {longest > LONG_PRESCRIPTION_DAYS ? (
                  <Tag color="orange" data-testid="rx-long-tag">
                    {t('prescriptions.form.longTag', { days: longest })}
                  </Tag>
                ) : null}
              </span>
            }
            extra={t('prescriptions.form.stableReasonHint', { days: LONG_PRESCRIPTION_DAYS })}
          >
            <Input.TextArea rows={2} maxLength={500} showCount placeholder={t('prescriptions.form.stableReasonPlaceholder')} data-testid="rx-stable-reason" />
          </Form.Item>

          <Form.Item name="fillPlace" label={t('prescriptions.form.fillPlace')}>
            <Radio.Group optionType="button" buttonStyle="solid">
              {FILL_PLACES.map((p) => (
                <Radio.Button key={p} value={p}>
                  <span data-testid={`rx-place-${p}`}>{t(`prescriptions.place.${p}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {fillPlace === 'pharmacy' ? (
            <Form.Item name="fillInstitutionId" label={t('prescriptions.form.pharmacy')} rules={[{ required: true, message: t('rx.pharmacyRequired') }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={pharmacies.isPending}
                placeholder={t('rx.pharmacyPlaceholder')}
                options={(pharmacies.data ?? []).filter((p) => (p as { designated?: boolean }).designated !== false).map((p) => ({ value: p.id, label: p.name }))}
                className="select-420"
                data-testid="rx-pharmacy"
              />
            </Form.Item>
          ) : null}
          {fillPlace === 'delivery' ? (
            <Form.Item
              name="deliveryAddress"
              label={t('prescriptions.form.deliveryAddress')}
              rules={[{ required: true, whitespace: true, min: 4, message: t('prescriptions.form.deliveryAddressRequired') }]}
              extra={t('prescriptions.form.deliveryHint')}
            >
              <Input maxLength={200} data-testid="rx-delivery-address" />
            </Form.Item>
          ) : null}
          {fillPlace === 'own' ? (
            <Typography.Paragraph type="secondary" className="section-hint">
              {t('prescriptions.form.ownHint')}
            </Typography.Paragraph>
          ) : null}
          {saved ? (
            <div className="rx-form__saved">
              <OriginTag origin={saved.origin} />
              <Typography.Text type="secondary">{t('prescriptions.form.savedHint', { date: saved.validUntil })}</Typography.Text>
            </div>
          ) : null}
        </Form>
      ) : null}
    </Drawer>
  );
}
