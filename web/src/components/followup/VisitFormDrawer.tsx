// 随访记录: one follow-up visit as the national hypertension / type-2 diabetes forms record it. The
// server's rules classify it (控制满意 / 控制不满意 / 不良反应 / 并发症) and set the next visit date; the
// doctor may record a different judgement with a reason. Field names mirror the request body, so the
// API's field errors (systolic 300, diastolic above systolic …) are shown on the field they name.
import { useMutation } from '@tanstack/react-query';
import { DeleteOutlined, FileTextOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { ISO_DATE, toIsoDate, useDiseaseName } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { FREQUENCIES } from '../../types.ts';
import { ActionTag, ClassificationTag } from './labels.tsx';
import { useChart, useInvalidateFollowups } from './queries.ts';
import { followupProblem } from './serverErrors.ts';
import { SYMPTOMS } from './symptoms.ts';
import {
  type AdverseReaction,
  type Chart,
  CLASSIFICATIONS,
  type Classification,
  type Complication,
  type DrugTaken,
  FOLLOWUP_DISEASES,
  type FollowupDisease,
  type Lifestyle,
  type Visit,
  type VisitInput,
  VISIT_MODES,
  type VisitMode,
  type VisitTarget,
} from './types.ts';
import { bmiBand, bmiFrom, fromTenths, toTenths } from './units.ts';
import { reasonText, signsFor, type UrgentSign } from './urgentSigns.ts';
import './followup.css';

interface Values {
  visitDate: Dayjs;
  diseases: FollowupDisease[];
  mode: VisitMode;
  symptoms: string[];
  readings: {
    systolic?: number | null;
    diastolic?: number | null;
    heartRate?: number | null;
    weight?: number | null;
    height?: number | null;
    fastingGlucose?: number | null;
    hba1c?: number | null;
  };
  lifestyle: Partial<Lifestyle>;
  drugs: DrugTaken[];
  adverseReaction: AdverseReaction;
  adverseReactionNote?: string;
  complication: Complication;
  urgentSigns: UrgentSign[];
  referralAdvice?: string;
  note?: string;
  withOverride: boolean;
  override: { classification?: Classification; nextVisitDate?: Dayjs; reason?: string };
}

const nn = <T,>(v: T | null | undefined): v is T => v !== null && v !== undefined;

function initialValues(chart: Chart): Values {
  const two = chart.conditions.map((c) => c.code).filter((c): c is FollowupDisease => (FOLLOWUP_DISEASES as string[]).includes(c));
  const registered = chart.registrations.map((r) => r.disease).filter((c): c is FollowupDisease => (FOLLOWUP_DISEASES as string[]).includes(c));
  const diseases = [...new Set([...two, ...registered])];
  const last = chart.visits[0];
  const prescribed: DrugTaken[] = chart.prescription.map((l) => ({ name: l.drugName, dose: l.dose, frequency: l.frequency }));
  const l = last?.lifestyle;
  return {
    visitDate: dayjs(),
    diseases: diseases.length ? FOLLOWUP_DISEASES.filter((d) => diseases.includes(d)) : ['hypertension'],
    mode: 'clinic',
    symptoms: [],
    readings: { height: fromTenths(last?.readings.heightTenthsCm ?? chart.healthChecks[0]?.readings.heightTenthsCm) },
    // carried over from the last visit; the doctor checks them with the patient
    lifestyle: l
      ? {
          smokingPerDay: l.smokingPerDay,
          drinkingMlPerDay: l.drinkingMlPerDay,
          exercisePerWeek: l.exercisePerWeek,
          exerciseMinutes: l.exerciseMinutes,
          saltIntake: l.saltIntake,
          stapleFoodGPerDay: l.stapleFoodGPerDay,
        }
      : {},
    drugs: prescribed.length ? prescribed : (last?.drugs ?? []),
    adverseReaction: 'none',
    complication: 'none',
    urgentSigns: [],
    withOverride: false,
    override: {},
  };
}

function toBody(v: Values): VisitInput {
  const r = v.readings ?? {};
  const readings = Object.fromEntries(
    Object.entries({
      systolic: r.systolic,
      diastolic: r.diastolic,
      heartRate: r.heartRate,
      weightTenthsKg: toTenths(r.weight),
      heightTenthsCm: toTenths(r.height),
      fastingGlucoseTenths: toTenths(r.fastingGlucose),
      hba1cTenths: toTenths(r.hba1c),
    }).filter(([, value]) => nn(value)),
  );
  const lifestyle = Object.fromEntries(Object.entries(v.lifestyle ?? {}).filter(([, value]) => nn(value)));
  const drugs = (v.drugs ?? [])
    .filter((d) => d?.name?.trim())
    .map((d) => ({
      name: d.name.trim(),
      ...(d.dose?.trim() ? { dose: d.dose.trim() } : {}),
      ...(d.frequency?.trim() ? { frequency: d.frequency.trim() } : {}),
    }));
  const o = v.override ?? {};
  // only the signs the covered forms show (a sign ticked before its disease was unticked is not sent)
  const shown = signsFor(v.diseases ?? []);
  const urgentSigns = (v.urgentSigns ?? []).filter((s) => shown.includes(s));
  return {
    visitDate: toIsoDate(v.visitDate),
    diseases: v.diseases,
    mode: v.mode,
    ...(v.symptoms?.length ? { symptoms: v.symptoms.map((s) => s.trim()).filter(Boolean) } : {}),
    readings,
    ...(Object.keys(lifestyle).length ? { lifestyle } : {}),
    ...(drugs.length ? { drugs } : {}),
    adverseReaction: v.adverseReaction,
    ...(v.adverseReaction !== 'none' && v.adverseReactionNote?.trim() ? { adverseReactionNote: v.adverseReactionNote.trim() } : {}),
    complication: v.complication,
    ...(urgentSigns.length ? { urgentSigns } : {}),
    ...(v.referralAdvice?.trim() ? { referralAdvice: v.referralAdvice.trim() } : {}),
    ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    ...(v.withOverride
      ? {
          override: {
            ...(o.classification ? { classification: o.classification } : {}),
            ...(o.nextVisitDate ? { nextVisitDate: toIsoDate(o.nextVisitDate) } : {}),
            reason: o.reason ?? '',
          },
        }
      : {}),
  };
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="form-section">
      <Typography.Title level={5} className="form-section-title">
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

/** What the rules decided, the doctor's override beside it, and the next visit date. */
export function VisitOutcome({ visit }: { visit: Visit }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  const days = dayjs(visit.nextVisitDate).diff(dayjs(visit.visitDate), 'day');
  return (
    <div className="fu-outcome" data-testid="visit-result" data-classification={visit.classification} data-next-date={visit.nextVisitDate}>
      <div className="fu-outcome__head">
        <div>
          <div className="fu-outcome__label">{t('followup.result.classification')}</div>
          <Space size={6}>
            <span className="fu-outcome__big">
              <ClassificationTag value={visit.classification} overridden={!!visit.override?.classification} />
            </span>
            <ActionTag value={visit.action} />
          </Space>
        </div>
        <div>
          <div className="fu-outcome__label">{t('followup.result.nextVisit')}</div>
          <span className="fu-outcome__date mono" data-testid="next-visit-date">
            {visit.nextVisitDate}
          </span>
          <Typography.Text type="secondary" className="fu-outcome__days">
            {t('followup.result.inDays', { days })}
          </Typography.Text>
        </div>
      </div>
      {visit.override ? (
        <Alert
          type="info"
          showIcon
          className="fu-outcome__override"
          data-testid="override-summary"
          title={t('followup.result.overridden')}
          description={
            <div>
              <div>
                {t('followup.result.rulesSaid', {
                  classification: t(`followup.classification.${visit.rules.classification}`),
                  date: visit.rules.nextVisitDate,
                })}
              </div>
              <div>
                {t('followup.result.reason')}：{visit.override.reason}
              </div>
            </div>
          }
        />
      ) : null}
      <div className="fu-outcome__label">{t('followup.result.reasons')}</div>
      <ul className="fu-reasons" data-testid="visit-reasons">
        {visit.rules.reasons.map((r) => (
          <li key={r.code + r.text} data-code={r.code}>
            {reasonText(t, visit, r)}
          </li>
        ))}
      </ul>
      {visit.rules.perDisease.length > 1 ? (
        <Descriptions
          size="small"
          column={1}
          items={visit.rules.perDisease.map((p) => ({
            key: p.disease,
            label: diseaseName(p.disease),
            children: (
              <Space size={6}>
                <ClassificationTag value={p.classification} />
                <ActionTag value={p.action} />
                <span className="mono">{p.nextVisitDate}</span>
              </Space>
            ),
          }))}
        />
      ) : null}
      {visit.referralAdvice ? (
        <Alert type="warning" showIcon className="fu-outcome__override" title={t('followup.fields.referralAdvice')} description={visit.referralAdvice} />
      ) : null}
    </div>
  );
}

/** Give it a new `key` for each opening: the form starts from the patient's chart. */
export default function VisitFormDrawer({
  target,
  onClose,
  onOpenChart,
}: {
  target: VisitTarget | null;
  onClose: (saved?: Visit) => void;
  /** Shown after saving when the form was opened away from the chart. */
  onOpenChart?: (personId: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const diseaseName = useDiseaseName();
  const invalidate = useInvalidateFollowups();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const [saved, setSaved] = useState<Visit | null>(null);
  const chart = useChart(target?.person.id);

  const diseases: FollowupDisease[] = Form.useWatch('diseases', form) ?? [];
  const weight = Form.useWatch(['readings', 'weight'], form);
  const height = Form.useWatch(['readings', 'height'], form);
  const adverse: AdverseReaction | undefined = Form.useWatch('adverseReaction', form);
  const withOverride: boolean = Form.useWatch('withOverride', form) ?? false;
  const visitDate: Dayjs | undefined = Form.useWatch('visitDate', form);
  const bmi = bmiFrom(weight, height);
  const band = bmiBand(bmi);
  const htn = diseases.includes('hypertension');
  const dm = diseases.includes('diabetes');

  const initial = useMemo(() => (chart.data ? initialValues(chart.data) : undefined), [chart.data]);

  const symptomOptions = SYMPTOMS.filter((s) => s.diseases.some((d) => diseases.includes(d))).map((s) => ({
    value: s.zh,
    label: t(`followup.symptoms.${s.code}`),
  }));

  const save = useMutation({
    mutationFn: (v: Values) =>
      api<Visit>(`/api/people/${encodeURIComponent(target!.person.id)}/followups`, { method: 'POST', body: toBody(v) }),
    meta: { silent: true },
    onSuccess: (visit) => {
      void invalidate();
      void message.success(t('followup.form.saved', { name: target?.person.name }));
      setAlert([]);
      setSaved(visit);
    },
    onError: (error) => {
      const { unplaced } = applyServerErrors(form, followupProblem(error));
      setAlert(unplaced.length ? unplaced : [t('followup.form.fixMarked')]);
    },
  });

  const last = chart.data?.visits[0];
  const person = chart.data?.person ?? target?.person;

  const body = () => {
    if (!target) return null;
    if (saved) return <VisitOutcome visit={saved} />;
    if (chart.isError) return <Result status="error" title={t('errors.loadFailed')} subTitle={errorLines(chart.error).join('；')} />;
    if (!initial) return <Skeleton active paragraph={{ rows: 10 }} />;
    return (
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        onFinishFailed={() => setAlert([t('followup.form.fixMarked')])}
        onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)}
        className="fu-form"
        scrollToFirstError
        data-testid="visit-form"
      >
        {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
        {last ? (
          <div className="fu-last" data-testid="last-visit">
            <Typography.Text type="secondary">{t('followup.form.lastVisit')}</Typography.Text>
            <span className="mono">{last.visitDate}</span>
            {last.readings.systolic !== null ? (
              <span className="mono">
                {last.readings.systolic}/{last.readings.diastolic} mmHg
              </span>
            ) : null}
            {last.readings.fastingGlucoseTenths !== null ? (
              <span className="mono">{(last.readings.fastingGlucoseTenths / 10).toFixed(1)} mmol/L</span>
            ) : null}
            <ClassificationTag value={last.classification} overridden={!!last.override?.classification} />
          </div>
        ) : null}

        <Section title={t('followup.form.sectionVisit')}>
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name="visitDate" label={t('followup.fields.visitDate')} rules={[{ required: true, message: t('followup.form.required') }]}>
                <DatePicker
                  format={ISO_DATE}
                  allowClear={false}
                  className="full-width"
                  disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                  data-testid="visit-date"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item
                name="diseases"
                label={t('followup.fields.diseases')}
                rules={[{ required: true, type: 'array', min: 1, message: t('followup.form.diseaseRequired') }]}
              >
                <Checkbox.Group>
                  {FOLLOWUP_DISEASES.map((d) => (
                    <Checkbox key={d} value={d} data-testid={`visit-disease-${d}`}>
                      {diseaseName(d)}
                    </Checkbox>
                  ))}
                </Checkbox.Group>
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name="mode" label={t('followup.fields.mode')} rules={[{ required: true, message: t('followup.form.required') }]}>
                <Radio.Group optionType="button" size="small">
                  {VISIT_MODES.map((m) => (
                    <Radio.Button key={m} value={m} data-testid={`visit-mode-${m}`}>
                      {t(`followup.mode.${m}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="symptoms" label={t('followup.fields.symptoms')} extra={t('followup.form.symptomsHint')}>
            <Select mode="tags" options={symptomOptions} placeholder={t('followup.form.noSymptoms')} maxTagTextLength={12} data-testid="visit-symptoms" />
          </Form.Item>
        </Section>

        <Section title={t('followup.form.sectionSigns')}>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'systolic']} label={t('followup.fields.systolic')} required={htn}>
                <InputNumber precision={0} min={0} suffix="mmHg" className="full-width" data-testid="visit-systolic" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'diastolic']} label={t('followup.fields.diastolic')} required={htn}>
                <InputNumber precision={0} min={0} suffix="mmHg" className="full-width" data-testid="visit-diastolic" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'heartRate']} label={t('followup.fields.heartRate')}>
                <InputNumber precision={0} min={0} suffix={t('followup.units.perMinute')} className="full-width" data-testid="visit-heart-rate" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'weight']} label={t('followup.fields.weight')}>
                <InputNumber precision={1} step={0.1} min={0} suffix="kg" className="full-width" data-testid="visit-weight" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'height']} label={t('followup.fields.height')}>
                <InputNumber precision={1} step={0.1} min={0} suffix="cm" className="full-width" data-testid="visit-height" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item label={t('followup.fields.bmi')}>
                <div className="fu-bmi" data-testid="visit-bmi">
                  <span className="mono">{bmi ?? '—'}</span>
                  {band ? <Tag color={band === 'normal' ? 'green' : band === 'low' ? 'blue' : band === 'overweight' ? 'orange' : 'red'}>{t(`followup.bmiBand.${band}`)}</Tag> : null}
                </div>
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'fastingGlucose']} label={t('followup.fields.fastingGlucose')} required={dm}>
                <InputNumber precision={1} step={0.1} min={0} suffix="mmol/L" className="full-width" data-testid="visit-glucose" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['readings', 'hba1c']} label={t('followup.fields.hba1c')}>
                <InputNumber precision={1} step={0.1} min={0} suffix="%" className="full-width" data-testid="visit-hba1c" />
              </Form.Item>
            </Col>
          </Row>
        </Section>

        <Section title={t('followup.form.sectionLifestyle')}>
          <Row gutter={16}>
            <Col xs={12} sm={6}>
              <Form.Item name={['lifestyle', 'smokingPerDay']} label={t('followup.fields.smokingPerDay')}>
                <InputNumber precision={0} min={0} suffix={t('followup.units.cigarettes')} className="full-width" data-testid="visit-smoking" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['lifestyle', 'drinkingMlPerDay']} label={t('followup.fields.drinkingMlPerDay')}>
                <InputNumber precision={0} min={0} suffix="ml" className="full-width" data-testid="visit-drinking" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['lifestyle', 'exercisePerWeek']} label={t('followup.fields.exercisePerWeek')}>
                <InputNumber precision={0} min={0} suffix={t('followup.units.timesPerWeek')} className="full-width" data-testid="visit-exercise" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={6}>
              <Form.Item name={['lifestyle', 'exerciseMinutes']} label={t('followup.fields.exerciseMinutes')}>
                <InputNumber precision={0} min={0} suffix={t('followup.units.minutes')} className="full-width" />
              </Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col xs={24} sm={8}>
              <Form.Item name={['lifestyle', 'saltIntake']} label={t('followup.fields.saltIntake')}>
                <Radio.Group optionType="button" size="small">
                  {(['light', 'moderate', 'heavy'] as const).map((s) => (
                    <Radio.Button key={s} value={s}>
                      {t(`followup.salt.${s}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name={['lifestyle', 'mentalState']} label={t('followup.fields.mentalState')}>
                <Radio.Group optionType="button" size="small">
                  {(['good', 'fair', 'poor'] as const).map((s) => (
                    <Radio.Button key={s} value={s}>
                      {t(`followup.mental.${s}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name={['lifestyle', 'adherence']} label={t('followup.fields.adherence')}>
                <Radio.Group optionType="button" size="small">
                  {(['regular', 'intermittent', 'none'] as const).map((s) => (
                    <Radio.Button key={s} value={s} data-testid={`visit-adherence-${s}`}>
                      {t(`followup.adherence.${s}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
          </Row>
          {dm ? (
            <Row gutter={16}>
              <Col xs={12} sm={6}>
                <Form.Item name={['lifestyle', 'stapleFoodGPerDay']} label={t('followup.fields.stapleFoodGPerDay')}>
                  <InputNumber precision={0} min={0} suffix="g" className="full-width" />
                </Form.Item>
              </Col>
            </Row>
          ) : null}
        </Section>

        <Section title={t('followup.form.sectionDrugs')}>
          <Form.List name="drugs">
            {(fields, { add, remove }) => (
              <div className="fu-drugs" data-testid="visit-drugs">
                {fields.length ? (
                  <div className="fu-drugs__head">
                    <span>{t('followup.fields.drugName')}</span>
                    <span>{t('followup.fields.dose')}</span>
                    <span>{t('followup.fields.frequency')}</span>
                    <span />
                  </div>
                ) : (
                  <Typography.Text type="secondary">{t('followup.form.noDrugs')}</Typography.Text>
                )}
                {fields.map((f) => (
                  <div key={f.key} className="fu-drugs__row" data-testid="visit-drug-row">
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('followup.form.required') }]}>
                      <Input maxLength={60} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'dose']}>
                      <Input maxLength={40} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'frequency']}>
                      <Select allowClear options={FREQUENCIES.map((q) => ({ value: q, label: t(`frequency.${q}`) }))} />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </div>
                ))}
                <Button size="small" icon={<PlusOutlined />} onClick={() => add({ name: '' })}>
                  {t('followup.form.addDrug')}
                </Button>
              </div>
            )}
          </Form.List>
        </Section>

        <Section title={t('followup.form.sectionEvents')}>
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="adverseReaction" label={t('followup.fields.adverseReaction')}>
                <Radio.Group optionType="button" size="small">
                  {(['none', 'present', 'hard_to_control'] as const).map((a) => (
                    <Radio.Button key={a} value={a} data-testid={`visit-adverse-${a}`}>
                      {t(`followup.adverse.${a}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="complication" label={t('followup.fields.complication')} extra={t('followup.form.complicationHint')}>
                <Radio.Group optionType="button" size="small">
                  {(['none', 'new_or_worse'] as const).map((c) => (
                    <Radio.Button key={c} value={c} data-testid={`visit-complication-${c}`}>
                      {t(`followup.complication.${c}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
            </Col>
          </Row>
          {adverse && adverse !== 'none' ? (
            <Form.Item name="adverseReactionNote" label={t('followup.fields.adverseReactionNote')}>
              <Input maxLength={200} />
            </Form.Item>
          ) : null}
          <Form.Item name="urgentSigns" label={t('followup.fields.urgentSigns')} extra={t('followup.form.urgentSignsHint')}>
            <Checkbox.Group className="fu-urgent-signs" data-testid="visit-urgent-signs">
              <Row gutter={[8, 4]}>
                {signsFor(diseases).map((code) => (
                  <Col key={code} xs={24} sm={12} md={8}>
                    <Checkbox value={code} data-testid={`visit-urgent-sign-${code}`}>
                      {t(`followup.urgentSigns.${code}`)}
                    </Checkbox>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="referralAdvice" label={t('followup.fields.referralAdvice')} extra={t('followup.form.referralHint')}>
            <Input maxLength={200} data-testid="visit-referral" />
          </Form.Item>
          <Form.Item name="note" label={t('followup.fields.note')}>
            <Input.TextArea rows={2} maxLength={1000} />
          </Form.Item>
        </Section>

        <section className="form-section fu-override">
          <div className="form-section-head">
            <Typography.Title level={5} className="form-section-title">
              {t('followup.form.sectionOverride')}
            </Typography.Title>
            <Form.Item name="withOverride" valuePropName="checked" noStyle>
              <Switch size="small" data-testid="visit-override-toggle" />
            </Form.Item>
          </div>
          <Typography.Paragraph type="secondary" className="section-hint">
            {t('followup.form.overrideHint')}
          </Typography.Paragraph>
          {withOverride ? (
            <Row gutter={16}>
              <Col xs={24} sm={8}>
                <Form.Item name={['override', 'classification']} label={t('followup.fields.overrideClassification')}>
                  <Select
                    allowClear
                    options={CLASSIFICATIONS.map((c) => ({ value: c, label: t(`followup.classification.${c}`) }))}
                    data-testid="override-classification"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['override', 'nextVisitDate']} label={t('followup.fields.overrideNextVisitDate')}>
                  <DatePicker
                    format={ISO_DATE}
                    className="full-width"
                    disabledDate={(d) => !!visitDate && !d.isAfter(visitDate, 'day')}
                    data-testid="override-next-date"
                  />
                </Form.Item>
              </Col>
              <Col xs={24}>
                <Form.Item
                  name={['override', 'reason']}
                  label={t('followup.fields.overrideReason')}
                  rules={[{ required: true, whitespace: true, message: t('followup.form.overrideReasonRequired') }]}
                >
                  <Input.TextArea rows={2} maxLength={200} showCount data-testid="override-reason" />
                </Form.Item>
              </Col>
            </Row>
          ) : null}
        </section>
      </Form>
    );
  };

  return (
    <Drawer
      open={target !== null}
      size={860}
      title={
        target ? t(saved ? 'followup.form.resultTitle' : 'followup.form.title', { name: target.person.name }) : null
      }
      onClose={() => onClose(saved ?? undefined)}
      destroyOnHidden
      data-testid="visit-drawer"
      extra={
        person ? (
          <Typography.Text type="secondary">
            {person.sex ? `${t(`person.sex.${person.sex}`)} · ` : ''}
            {person.age != null ? `${t('person.ageValue', { age: person.age })} · ` : ''}
            <span className="mono">{person.idNumber}</span>
          </Typography.Text>
        ) : null
      }
      footer={
        <div className="drawer-footer">
          {saved ? (
            <>
              {onOpenChart ? (
                <Button icon={<FileTextOutlined />} onClick={() => onOpenChart(target!.person.id)} data-testid="visit-open-chart">
                  {t('followup.openChart')}
                </Button>
              ) : null}
              <Button type="primary" onClick={() => onClose(saved)} data-testid="visit-done">
                {t('followup.form.done')}
              </Button>
            </>
          ) : (
            <>
              <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
              <Button type="primary" loading={save.isPending} disabled={!initial} onClick={() => form.submit()} data-testid="visit-submit">
                {t('followup.form.submit')}
              </Button>
            </>
          )}
        </div>
      }
    >
      {body()}
    </Drawer>
  );
}
