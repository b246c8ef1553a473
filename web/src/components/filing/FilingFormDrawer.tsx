// 认定登记 / 变更登记 / 撤销 for one patient, and fixing a returned filing (PUT). Field names mirror the
// request body so that the server's `errors[].field` is shown next to the field it names.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors } from '../../formErrors.ts';
import { TWO_DISEASES, todayIso, toIsoDate, useDiseaseName } from '../../format.ts';
import { useEligibility } from '../../hooks/reference.ts';
import type {
  ChangeReason,
  CodeName,
  DiagnosisBasis,
  DiseaseAction,
  FilingDiseaseInput,
  FilingKind,
  FilingView,
  PrescriptionLineInput,
  RegistrationState,
  RevocationReason,
} from '../../types.ts';
import { RegistrationTag } from '../labels.tsx';
import BasisFields, { type BasisValue, basisTypesFor, emptyReadings } from './BasisFields.tsx';
import PrescriptionFields, { type LineValue, emptyLine, lineFromView } from './PrescriptionFields.tsx';
import PrescriptionTable from './PrescriptionTable.tsx';
import { AttachmentList, AttachmentPicker, type PendingAttachment } from './Attachments.tsx';
import { ReturnReason } from './ReturnReason.tsx';

/** 12 weeks, the national ceiling for a long prescription: the limit shown until the patient's policy is known. */
const NATIONAL_MAX_DAYS = 84;

export interface FilingTarget {
  mode: 'initial' | 'change' | 'revocation' | 'fix';
  person: { id: string; name: string; sex?: string; age?: number; idNumber?: string };
  /** Diagnoses in the health record. */
  conditions: CodeName[];
  /** Registration state per disease, as the team's list shows it. */
  registrations: Array<{ disease: string; name: string; state: RegistrationState }>;
  /** The returned filing to fix. */
  filing?: FilingView;
}

interface DiseaseValue {
  code: string;
  action: DiseaseAction;
  diagnosedOn?: Dayjs;
  basis?: BasisValue;
}

interface Values {
  changeReason?: ChangeReason;
  revocationReason?: RevocationReason;
  deathDate?: Dayjs;
  note?: string;
  diseases: DiseaseValue[];
  withPrescription?: boolean;
  prescription: LineValue[];
  attachments?: PendingAttachment[];
}

const CHANGE_REASONS: ChangeReason[] = ['recovery', 'progression', 'new_disease', 'medication_change'];
const REVOCATION_REASONS: RevocationReason[] = ['death', 'moved_out', 'insurance_ended', 'other'];

/** What a filing kind (and change reason) does to the diseases it lists; null: it lists none. */
function actionFor(kind: FilingKind, reason: ChangeReason | undefined | null): DiseaseAction | null {
  if (kind === 'initial') return 'add';
  if (kind === 'revocation') return null;
  switch (reason) {
    case 'recovery':
      return 'remove';
    case 'progression':
      return 'keep';
    case 'new_disease':
      return 'add';
    default:
      return null;
  }
}

function newDisease(code: string, action: DiseaseAction): DiseaseValue {
  if (action === 'remove') return { code, action };
  const type = basisTypesFor(code)[0];
  return { code, action, basis: { type, ...(type === 'bp_readings' ? { readings: emptyReadings() } : {}) } };
}

function basisToValue(b: DiagnosisBasis | null): BasisValue | undefined {
  if (!b) return undefined;
  if (b.type === 'bp_readings')
    return { type: b.type, readings: b.readings.map((r) => ({ date: dayjs(r.date), systolic: r.systolic, diastolic: r.diastolic })) };
  if (b.type === 'glucose')
    return { type: b.type, date: dayjs(b.date), fastingGlucose: b.fastingGlucose ?? undefined, hba1c: b.hba1c ?? undefined };
  return { type: b.type, institutionName: b.institutionName, date: dayjs(b.date) };
}

function basisToInput(b: BasisValue | undefined): DiagnosisBasis | undefined {
  if (!b?.type) return undefined;
  if (b.type === 'bp_readings')
    return {
      type: 'bp_readings',
      readings: (b.readings ?? []).map((r) => ({ date: toIsoDate(r.date)!, systolic: r.systolic!, diastolic: r.diastolic! })),
    };
  if (b.type === 'glucose')
    return {
      type: 'glucose',
      date: toIsoDate(b.date)!,
      ...(b.fastingGlucose != null ? { fastingGlucose: b.fastingGlucose } : {}),
      ...(b.hba1c != null ? { hba1c: b.hba1c } : {}),
    };
  return { type: 'hospital_diagnosis', institutionName: (b.institutionName ?? '').trim(), date: toIsoDate(b.date)! };
}

function diseaseToInput(d: DiseaseValue): FilingDiseaseInput {
  if (d.action === 'remove') return { code: d.code, action: d.action };
  return { code: d.code, action: d.action, diagnosedOn: toIsoDate(d.diagnosedOn), basis: basisToInput(d.basis) };
}

function lineToInput(l: LineValue): PrescriptionLineInput {
  return {
    drugCode: l.drugCode!,
    dose: (l.dose ?? '').trim(),
    frequency: l.frequency!,
    daysSupply: l.daysSupply!,
    dispensing: l.dispensing ?? 'own',
    ...(l.dispensing === 'external' && l.pharmacyId ? { pharmacyId: l.pharmacyId } : {}),
  };
}

/** The disease's name as the title of its card; errors about the whole disease show under it. */
function DiseaseTitle({ value, action }: { value?: string; action: DiseaseAction }) {
  const { t } = useTranslation();
  const diseaseName = useDiseaseName();
  return (
    <Space size={8}>
      <Typography.Text strong>{value ? diseaseName(value) : ''}</Typography.Text>
      <Tag color={action === 'add' ? 'green' : action === 'keep' ? 'blue' : 'red'}>{t(`diseaseAction.${action}`)}</Tag>
    </Space>
  );
}

/** Give it a new `key` for each opening: the form starts from the target's values. */
export default function FilingFormDrawer({
  target,
  onClose,
}: {
  target: FilingTarget | null;
  onClose: (done?: FilingView) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const diseaseName = useDiseaseName();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  // the policy in force for the patient sets the longest supply
  const eligibility = useEligibility(target?.person.id ?? null, todayIso());

  const filing = target?.filing;
  const kind: FilingKind = target ? (target.mode === 'fix' ? filing!.kind : target.mode) : 'initial';
  const watchedReason: ChangeReason | undefined = Form.useWatch('changeReason', form);
  const revocationReason: RevocationReason | undefined = Form.useWatch('revocationReason', form);
  const changeReason = target?.mode === 'fix' ? (filing!.changeReason ?? undefined) : watchedReason;
  const action = actionFor(kind, changeReason);
  const withPrescription: boolean | undefined = Form.useWatch('withPrescription', form);
  const diseases: DiseaseValue[] | undefined = Form.useWatch('diseases', form);

  const stateOf = (code: string): RegistrationState =>
    target?.registrations.find((r) => r.disease === code)?.state ?? 'none';
  const confirmed = target
    ? target.mode === 'fix'
      ? filing!.before.registrations.map((r) => r.disease)
      : target.registrations.filter((r) => r.state === 'confirmed').map((r) => r.disease)
    : [];

  // the diseases a doctor may pick for this kind of filing
  const candidates: string[] = useMemo(() => {
    if (!target || !action) return [];
    if (target.mode === 'fix') return filing!.diseases.map((d) => d.code);
    if (action === 'remove' || action === 'keep') return confirmed;
    const known = [...TWO_DISEASES, ...target.conditions.map((c) => c.code)];
    return [...new Set(known)];
  }, [target, action, filing, confirmed.join()]); // eslint-disable-line react-hooks/exhaustive-deps

  const selectable = (code: string) => target?.mode === 'fix' || action !== 'add' || stateOf(code) === 'none';

  // the current prescription, to start a change from
  const current = useEligibility(target && target.mode !== 'initial' ? target.person.id : null, todayIso());
  const currentLines = useMemo(() => (current.data?.prescription ?? []).map(lineFromView), [current.data]);

  const prescriptionRequired = kind === 'initial' || changeReason === 'medication_change';
  const prescriptionOptional = kind === 'change' && !prescriptionRequired && !!changeReason;
  const showPrescription = prescriptionRequired || (prescriptionOptional && !!withPrescription);

  // diseases registered once this filing is approved: they decide which drugs fit
  const diseasesAfter = useMemo(() => {
    const after = new Set(kind === 'initial' ? [] : confirmed);
    for (const d of diseases ?? []) (d.action === 'remove' ? after.delete(d.code) : after.add(d.code));
    return after.size ? [...after] : [...TWO_DISEASES];
  }, [kind, diseases, confirmed.join()]); // eslint-disable-line react-hooks/exhaustive-deps

  const initialValues = useMemo<Values | undefined>(() => {
    if (!target) return undefined;
    if (target.mode === 'fix') {
      const expectsDiseases = actionFor(filing!.kind, filing!.changeReason) !== null;
      return {
        note: filing!.note ?? undefined,
        diseases: expectsDiseases
          ? filing!.diseases.map((d) => ({
              code: d.code,
              action: d.action,
              diagnosedOn: d.diagnosedOn ? dayjs(d.diagnosedOn) : undefined,
              basis: basisToValue(d.basis),
            }))
          : [],
        withPrescription: filing!.prescription.length > 0,
        prescription: filing!.prescription.map(lineFromView),
      };
    }
    if (target.mode === 'initial') {
      const diagnosed = target.conditions.map((c) => c.code).filter((c) => stateOf(c) === 'none');
      return { diseases: diagnosed.map((c) => newDisease(c, 'add')), prescription: [emptyLine()] };
    }
    return { diseases: [], prescription: [] };
  }, [target]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => setAlert([]), [target]);

  // what the reviewer asked for and the doctor has not attached since the return
  const requestedMissing = useMemo(() => {
    if (!filing || filing.status !== 'returned') return [];
    const since = filing.decidedAt ?? filing.submittedAt;
    return filing.requestedAttachments.filter((k) => !filing.attachments.some((a) => a.kind === k && a.uploadedAt >= since));
  }, [filing]);

  const selectedCodes = (diseases ?? []).map((d) => d.code);
  const setSelected = (codes: string[]) => {
    const existing: DiseaseValue[] = form.getFieldValue('diseases') ?? [];
    const next = candidates
      .filter((c) => codes.includes(c))
      .map((c) => existing.find((d) => d.code === c) ?? newDisease(c, action ?? 'add'));
    form.setFieldValue('diseases', next);
  };

  const onReasonChange = (reason: ChangeReason) => {
    form.setFieldsValue({
      diseases: [],
      withPrescription: false,
      prescription: reason === 'medication_change' ? (currentLines.length ? currentLines : [emptyLine()]) : [],
    });
    setAlert([]);
  };

  const onTogglePrescription = (on: boolean) => {
    if (on && !(form.getFieldValue('prescription') ?? []).length)
      form.setFieldValue('prescription', currentLines.length ? currentLines : [emptyLine()]);
  };

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
        diseases: action ? (v.diseases ?? []).map(diseaseToInput) : [],
        ...(showPrescription ? { prescription: (v.prescription ?? []).map(lineToInput) } : {}),
        ...(v.attachments?.length ? { attachments: v.attachments.map(({ kind, name, contentBase64 }) => ({ kind, name, contentBase64 })) } : {}),
      };
      if (target!.mode === 'fix') return api<FilingView>(`/api/filings/${filing!.id}`, { method: 'PUT', body });
      return api<FilingView>('/api/filings', {
        method: 'POST',
        body: {
          personId: target!.person.id,
          kind,
          ...(kind === 'change' ? { changeReason: v.changeReason } : {}),
          ...(kind === 'revocation' ? { revocationReason: v.revocationReason } : {}),
          ...(kind === 'revocation' && v.revocationReason === 'death' && v.deathDate ? { deathDate: toIsoDate(v.deathDate) } : {}),
          ...body,
        },
      });
    },
    meta: { silent: true },
    onSuccess: (view) => {
      for (const key of ['team', 'filings', 'eligibility', 'people']) void client.invalidateQueries({ queryKey: [key] });
      void message.success(
        view.status === 'approved'
          ? t('filing.savedOneStop')
          : target!.mode === 'fix'
            ? t('filing.resubmitted')
            : t('filing.submitted'),
      );
      onClose(view);
    },
    onError: (error) => {
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? unplaced : [t('filing.fixMarked')]);
    },
  });

  const title = target
    ? t(target.mode === 'fix' ? 'filing.fixTitle' : `filing.title.${target.mode}`, { name: target.person.name })
    : '';

  return (
    <Drawer
      open={target !== null}
      size={980}
      title={title}
      onClose={() => onClose()}
      destroyOnHidden
      data-testid="filing-drawer"
      extra={
        target ? (
          <Typography.Text type="secondary">
            {target.person.sex ? `${t(`person.sex.${target.person.sex}`)} · ` : ''}
            {target.person.age != null ? `${t('person.ageValue', { age: target.person.age })} · ` : ''}
            <span className="mono">{target.person.idNumber}</span>
          </Typography.Text>
        ) : null
      }
      footer={
        <div className="drawer-footer">
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="filing-submit">
            {target?.mode === 'fix' ? t('filing.resubmit') : t('filing.submit')}
          </Button>
        </div>
      }
    >
      {target && initialValues ? (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark="optional"
          initialValues={initialValues}
          onFinish={(v) => save.mutate(v)}
          onFinishFailed={() => setAlert([t('filing.fixMarked')])}
          className="filing-form"
          scrollToFirstError
        >
          {filing?.status === 'returned' ? <ReturnReason filing={filing} /> : null}
          {alert.length ? (
            <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" />
          ) : null}

          {kind !== 'initial' && target.mode !== 'fix' ? (
            <section className="current-state" data-testid="current-state">
              <div className="current-state__row">
                <span className="current-state__label">{t('filing.currentRegistrations')}</span>
                <Space size={[4, 4]} wrap>
                  {confirmed.length ? (
                    confirmed.map((c) => <RegistrationTag key={c} disease={c} state="confirmed" />)
                  ) : (
                    <Typography.Text type="secondary">{t('diff.noRegistration')}</Typography.Text>
                  )}
                </Space>
              </div>
              <div className="current-state__row">
                <span className="current-state__label">{t('filing.currentPrescription')}</span>
                {current.data?.prescription.length ? (
                  <PrescriptionTable lines={current.data.prescription} />
                ) : (
                  <Typography.Text type="secondary">{current.isPending ? t('common.loading') : t('rx.none')}</Typography.Text>
                )}
              </div>
            </section>
          ) : null}
          {kind === 'change' && target.mode === 'fix' ? (
            <Form.Item label={t('filing.changeReason')}>
              <Tag color="purple">{t(`changeReason.${filing!.changeReason}`)}</Tag>
            </Form.Item>
          ) : null}
          {kind === 'change' && target.mode !== 'fix' ? (
            <Form.Item
              name="changeReason"
              label={t('filing.changeReason')}
              rules={[{ required: true, message: t('filing.changeReasonRequired') }]}
            >
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                onChange={(e) => onReasonChange(e.target.value as ChangeReason)}
              >
                {CHANGE_REASONS.map((r) => (
                  <Radio.Button key={r} value={r}>
                    <span data-testid={`change-reason-${r}`}>{t(`changeReason.${r}`)}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          ) : null}

          {kind === 'revocation' ? (
            <>
              {target.mode === 'fix' ? null : (
                <Form.Item
                  name="revocationReason"
                  label={t('filing.revocationReason')}
                  rules={[{ required: true, message: t('filing.revocationReasonRequired') }]}
                >
                  <Select
                    className="select-240"
                    options={REVOCATION_REASONS.map((r) => ({ value: r, label: t(`revocationReason.${r}`) }))}
                    data-testid="revocation-reason"
                  />
                </Form.Item>
              )}
              {target.mode !== 'fix' && revocationReason === 'death' ? (
                <Form.Item name="deathDate" label={t('filing.deathDate')} rules={[{ required: true, message: t('filing.deathDateRequired') }]}>
                  <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="death-date" />
                </Form.Item>
              ) : null}
              <Alert type="info" showIcon className="form-alert" title={t('filing.revocationHint')} />
            </>
          ) : null}

          {action ? (
            <section className="form-section">
              <Typography.Title level={5} className="form-section-title">
                {t(`filing.diseasesTitle.${action}`)}
              </Typography.Title>
              {candidates.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('filing.noCandidates')} />
              ) : (
                <Checkbox.Group
                  value={selectedCodes}
                  onChange={(v) => setSelected(v as string[])}
                  className="disease-picker"
                  disabled={target.mode === 'fix'}
                >
                  {candidates.map((code) => {
                    const condition = target.conditions.find((c) => c.code === code);
                    const state = stateOf(code);
                    return (
                      <Checkbox key={code} value={code} disabled={!selectable(code)} data-testid={`pick-disease-${code}`}>
                        {diseaseName(code, condition?.name)}
                        {condition ? <Tag className="picker-tag">{t('filing.diagnosed')}</Tag> : null}
                        {state !== 'none' && target.mode !== 'fix' ? <RegistrationTag disease={code} state={state} compact /> : null}
                      </Checkbox>
                    );
                  })}
                </Checkbox.Group>
              )}
              <Form.List
                name="diseases"
                rules={[
                  {
                    validator: async (_, value: DiseaseValue[] | undefined) => {
                      if (!value?.length) throw new Error(t('filing.diseaseRequired'));
                    },
                  },
                ]}
              >
                {(fields, _ops, { errors }) => (
                  <div className="disease-cards">
                    {fields.map((f) => {
                      const d: DiseaseValue | undefined = diseases?.[f.name];
                      return (
                        <div key={f.key} className="disease-card" data-testid={`disease-card-${d?.code ?? f.name}`}>
                          <Form.Item name={[f.name, 'code']} className="disease-card__title">
                            <DiseaseTitle action={d?.action ?? action} />
                          </Form.Item>
                          {/* registered so that the action travels with the values */}
                          <Form.Item name={[f.name, 'action']} hidden>
                            <Input />
                          </Form.Item>
                          {d && d.action !== 'remove' ? (
                            <BasisFields
                              listName={f.name}
                              code={d.code}
                              dateLabel={d.action === 'keep' ? t('filing.progressedOn') : t('filing.diagnosedOn')}
                            />
                          ) : (
                            <Typography.Text type="secondary">{t('filing.removeHint')}</Typography.Text>
                          )}
                        </div>
                      );
                    })}
                    <Form.ErrorList errors={errors} />
                  </div>
                )}
              </Form.List>
            </section>
          ) : null}

          {kind !== 'revocation' ? (
            <section className="form-section">
              <div className="form-section-head">
                <Typography.Title level={5} className="form-section-title">
                  {t('filing.prescriptionTitle')}
                </Typography.Title>
                {prescriptionOptional ? (
                  <Form.Item name="withPrescription" valuePropName="checked" noStyle>
                    <Switch
                      size="small"
                      onChange={onTogglePrescription}
                      checkedChildren={t('filing.changePrescription')}
                      unCheckedChildren={t('filing.keepPrescription')}
                      data-testid="toggle-prescription"
                    />
                  </Form.Item>
                ) : null}
              </div>
              {showPrescription ? (
                <>
                  {kind === 'change' ? (
                    <Typography.Paragraph type="secondary" className="section-hint">
                      {t('filing.prescriptionReplaces')}
                    </Typography.Paragraph>
                  ) : null}
                  <PrescriptionFields diseases={diseasesAfter} required={prescriptionRequired} maxDaysSupply={eligibility.data?.rules?.maxDaysSupply ?? NATIONAL_MAX_DAYS} />
                </>
              ) : (
                <Typography.Text type="secondary">
                  {changeReason ? t('filing.prescriptionUnchanged') : t('filing.pickReasonFirst')}
                </Typography.Text>
              )}
            </section>
          ) : null}

          {kind !== 'revocation' || filing ? (
            <section className="form-section" data-testid="attachments-section">
              <Typography.Title level={5} className="form-section-title">
                {t('evidence.title')}
              </Typography.Title>
              {filing?.attachments.length ? <AttachmentList attachments={filing.attachments} compact /> : null}
              <AttachmentPicker requested={requestedMissing} />
            </section>
          ) : null}

          <Form.Item name="note" label={t('filing.note')}>
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="filing-note" />
          </Form.Item>
        </Form>
      ) : null}
    </Drawer>
  );
}
