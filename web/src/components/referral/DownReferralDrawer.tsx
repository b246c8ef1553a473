// 下转 (hospital doctor): after discharge, the patient goes back to their contracted family-doctor team
// with the discharge summary and the drugs to continue (drug, dose in units per administration,
// frequency, days; the hospital's prescription number with them), which the team turns into an extended
// prescription. The patient is one referred up to this hospital who attended; the down-referral closes
// that up-referral. The team must follow up within 2 weeks of the discharge date.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { drugName, toIsoDate } from '../../format.ts';
import { FREQUENCIES, type Frequency } from '../../types.ts';
import { useAllDrugs } from '../prescription/api.ts';
import { createDownReferral, useReferrals, useRefreshReferrals } from './api.ts';
import type { Referral, ReferralItem } from './types.ts';
import './referral.css';

interface LineValues {
  drugCode?: string;
  dose?: number;
  frequency?: Frequency;
  daysSupply?: number;
}

interface Values {
  upReferralId?: string;
  dischargeDate?: Dayjs;
  department?: string;
  dischargeSummary?: string;
  sourcePrescriptionNo?: string;
  continueLines: LineValues[];
}

const emptyLine = (): LineValues => ({ dose: 1, frequency: 'qd', daysSupply: 28 });

/** `from`: the up-referral it answers, when opened from it; else the doctor picks one of the attended ones. */
export default function DownReferralDrawer({ open, from, onClose }: { open: boolean; from: ReferralItem | null; onClose: (done?: Referral) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshReferrals();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const incoming = useReferrals('in', open);
  const drugs = useAllDrugs();
  const attended = useMemo(() => (incoming.data?.items ?? []).filter((r) => r.direction === 'up' && r.status === 'attended'), [incoming.data]);
  const candidates = from && !attended.some((r) => r.id === from.id) ? [from, ...attended] : attended;
  // the chronic-disease list and the tertiary hospitals' own (the team may extend either)
  const drugOptions = useMemo(
    () =>
      (drugs.data ?? [])
        .filter((d) => d.diseases.length > 0 || d.lists.includes('tertiary'))
        .map((d) => ({ value: d.code, label: `${drugName(d)} ${d.strength}`, search: `${d.genericNameZh} ${d.genericNameEn} ${d.code}` })),
    [drugs.data],
  );

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const up = candidates.find((r) => r.id === v.upReferralId);
    if (!up) return;
    setBusy(true);
    setAlert([]);
    try {
      const lines = (v.continueLines ?? []).map((l) => ({ drugCode: l.drugCode!, dose: l.dose!, frequency: l.frequency!, daysSupply: l.daysSupply! }));
      const r = await createDownReferral({
        personId: up.person.id,
        upReferralId: up.id,
        dischargeDate: toIsoDate(v.dischargeDate)!,
        dischargeSummary: v.dischargeSummary!.trim(),
        ...(v.department?.trim() ? { department: v.department.trim() } : {}),
        ...(v.sourcePrescriptionNo?.trim() ? { sourcePrescriptionNo: v.sourcePrescriptionNo.trim() } : {}),
        ...(lines.length ? { continueLines: lines } : {}),
      });
      refresh();
      void message.success(t('referral.done.down', { team: r.to.team?.name ?? '', due: r.discharge?.followUpDue ?? '' }));
      onClose(r);
    } catch (error) {
      setAlert(applyServerErrors(form, error).unplaced);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={open}
      size={960}
      title={t('referral.down.title')}
      onClose={() => onClose()}
      destroyOnHidden
      data-testid="down-referral-drawer"
      footer={
        <div className="drawer-footer">
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="down-referral-submit">
            {t('referral.actions.submitDown')}
          </Button>
        </div>
      }
    >
      {open ? (
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ upReferralId: from?.id, department: from?.appointment?.department ?? from?.department ?? undefined, dischargeDate: dayjs(), continueLines: [emptyLine()] }}
          onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)}
          data-testid="down-referral-form"
        >
          <Typography.Paragraph type="secondary" className="section-hint">
            {t('referral.down.hint')}
          </Typography.Paragraph>
          {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="down-referral-alert" /> : null}
          <Form.Item name="upReferralId" label={t('referral.down.patient')} rules={[{ required: true, message: t('referral.down.patientRequired') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={incoming.isPending}
              placeholder={t('referral.down.patientPlaceholder')}
              notFoundContent={t('referral.down.noPatients')}
              options={candidates.map((r) => ({ value: r.id, label: `${r.person.name} · ${r.person.idNumber} · ${r.from.team?.name ?? r.from.institution.name}` }))}
              data-testid="down-referral-patient"
            />
          </Form.Item>
          <div className="ref-form__row">
            <Form.Item name="dischargeDate" label={t('referral.fields.dischargeDate')} rules={[{ required: true, message: t('referral.down.dischargeRequired') }]}>
              <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="down-referral-date" />
            </Form.Item>
            <Form.Item name="department" label={t('referral.fields.department')}>
              <Input maxLength={40} data-testid="down-referral-department" />
            </Form.Item>
          </div>
          <Form.Item name="dischargeSummary" label={t('referral.fields.dischargeSummary')} rules={[{ required: true, whitespace: true, min: 2, message: t('referral.down.summaryRequired') }]}>
            <Input.TextArea rows={4} maxLength={2000} data-testid="down-referral-summary" />
          </Form.Item>
          <div className="ref-form__section-head">
            <Typography.Text strong>{t('referral.fields.continueLines')}</Typography.Text>
          </div>
          <Form.List name="continueLines">
            {(fields, { add, remove }) => (
              <div className="ref-lines" data-testid="down-referral-lines">
                <div className="ref-lines__head">
                  <span>{t('rx.drug')}</span>
                  <span>{t('prescriptions.form.dose')}</span>
                  <span>{t('rx.frequency')}</span>
                  <span>{t('rx.daysSupply')}</span>
                  <span />
                </div>
                {fields.map((f) => (
                  <div key={f.key} className="ref-lines__row" data-testid="down-referral-line">
                    <Form.Item name={[f.name, 'drugCode']} rules={[{ required: true, message: t('referral.down.drugRequired') }]}>
                      <Select
                        showSearch={{ filterOption: (input, o) => String(o?.search ?? '').toLowerCase().includes(input.trim().toLowerCase()) }}
                        loading={drugs.isPending}
                        placeholder={t('referral.down.drugPlaceholder')}
                        options={drugOptions}
                        data-testid="down-referral-drug"
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'dose']} rules={[{ required: true, message: t('referral.down.doseRequired') }]}>
                      <InputNumber min={0.001} max={100} step={0.5} className="ref-full" data-testid="down-referral-dose" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'frequency']} rules={[{ required: true }]}>
                      <Select options={FREQUENCIES.map((q) => ({ value: q, label: t(`frequency.${q}`) }))} data-testid="down-referral-frequency" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'daysSupply']} rules={[{ required: true }]}>
                      <InputNumber min={1} max={90} precision={0} className="ref-full" data-testid="down-referral-days" />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.remove')} />
                  </div>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add(emptyLine())} data-testid="down-referral-add-line">
                  {t('referral.down.addLine')}
                </Button>
              </div>
            )}
          </Form.List>
          <Form.Item
            name="sourcePrescriptionNo"
            label={t('referral.fields.sourceNo')}
            dependencies={['continueLines']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_, value?: string) => {
                  const lines = (getFieldValue('continueLines') as LineValues[] | undefined) ?? [];
                  if (lines.length && !value?.trim()) throw new Error(t('referral.down.sourceNoRequired'));
                },
              }),
            ]}
          >
            <Input maxLength={60} className="mono ref-source-no" placeholder={t('referral.down.sourceNoPlaceholder')} data-testid="down-referral-source-no" />
          </Form.Item>
        </Form>
      ) : null}
    </Drawer>
  );
}
