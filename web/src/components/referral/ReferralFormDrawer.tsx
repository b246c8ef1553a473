// 上转 (family doctor): a contracted patient referred to a secondary or tertiary hospital — the receiving
// institution, department and the date asked for, urgency, reason and clinical summary. Opened from a
// follow-up visit with referral advice it starts from that visit (its advice, the rules' urgent referral)
// and sends the visit's id: what is left empty the server takes from the visit (the summary of its
// readings, the department of the patient's diseases), so the advice becomes a referral in one step. The
// patient's current prescriptions are shown read-only: the server attaches them to the referral.
import { Alert, App as AntApp, Button, DatePicker, Drawer, Empty, Form, Input, Radio, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { todayIso, toIsoDate } from '../../format.ts';
import { useEligibility } from '../../hooks/reference.ts';
import type { Visit } from '../followup/types.ts';
import { usePersonPrescriptions } from '../prescription/api.ts';
import { useDrugNames } from '../prescription/PersonPrescriptions.tsx';
import { createReferral, useDestinations, useRefreshReferrals } from './api.ts';
import { URGENCIES, type Referral, type Urgency } from './types.ts';
import './referral.css';

export interface ReferTarget {
  person: { id: string; name: string; idNumber?: string };
  /** The follow-up visit whose referral advice this referral carries out. */
  visit?: Visit;
}

interface Values {
  toInstitutionId?: string;
  department?: string;
  requestedDate?: Dayjs;
  urgency: Urgency;
  reason?: string;
  clinicalSummary?: string;
}

/** Prescriptions in force: what the server attaches to an up-referral beside the continuous prescription. */
const IN_FORCE = ['approved', 'partly_dispensed', 'submitted', 'under_review'];

/** Whether a visit asks for a referral: its advice, or the rules' (or doctor's) referral action. */
export const visitRefers = (v: Visit) => !!v.referralAdvice || v.action === 'urgent_referral' || v.action === 'refer_and_check';

export default function ReferralFormDrawer({ target, onClose }: { target: ReferTarget | null; onClose: (done?: Referral) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshReferrals();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const personId = target?.person.id ?? null;
  const destinations = useDestinations(target !== null);
  const eligibility = useEligibility(personId, todayIso());
  const prescriptions = usePersonPrescriptions(personId);
  const drugName = useDrugNames();
  const visit = target?.visit;

  const initial = useMemo<Values>(() => ({ urgency: visit?.action === 'urgent_referral' ? 'urgent' : 'routine', reason: visit?.referralAdvice ?? undefined }), [visit]);
  // from a visit the server writes what is left empty; without one the doctor writes it
  const required = (message: string) => (visit ? [{ whitespace: true, min: 2, message }] : [{ required: true, whitespace: true, min: 2, message }]);

  const attached = [
    ...(eligibility.data?.prescription.length
      ? [{ key: 'continuous', no: t('referral.form.continuous'), date: null as string | null, drugs: eligibility.data.prescription.map((l) => `${l.drugName} ${l.dose} ${t(`frequency.${l.frequency}`)}`) }]
      : []),
    ...(prescriptions.data?.items ?? [])
      .filter((p) => IN_FORCE.includes(p.status))
      .map((p) => ({ key: p.id, no: p.prescriptionNo, date: p.writtenOn as string | null, drugs: p.drugs.map((c) => drugName(c, true)) })),
  ];

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setAlert([]);
    try {
      const r = await createReferral({
        personId: target!.person.id,
        toInstitutionId: v.toInstitutionId!,
        ...(visit ? { fromVisitId: visit.id } : {}),
        urgency: v.urgency,
        ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        ...(v.department?.trim() ? { department: v.department.trim() } : {}),
        ...(v.requestedDate ? { requestedDate: toIsoDate(v.requestedDate) } : {}),
        ...(v.clinicalSummary?.trim() ? { clinicalSummary: v.clinicalSummary.trim() } : {}),
      });
      refresh();
      void message.success(t('referral.form.submitted', { to: r.to.institution?.name ?? '' }));
      onClose(r);
    } catch (error) {
      setAlert(applyServerErrors(form, error).unplaced);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open={target !== null}
      size={760}
      title={target ? t('referral.form.title', { name: target.person.name }) : ''}
      onClose={() => onClose()}
      destroyOnHidden
      data-testid="referral-form-drawer"
      extra={target?.person.idNumber ? <span className="mono">{target.person.idNumber}</span> : null}
      footer={
        <div className="drawer-footer">
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="referral-submit">
            {t('referral.actions.submit')}
          </Button>
        </div>
      }
    >
      {target ? (
        <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={initial} onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)} data-testid="referral-form">
          <Typography.Paragraph type="secondary" className="section-hint">
            {t('referral.form.hint')}
          </Typography.Paragraph>
          {visit ? (
            <Alert
              type={visit.action === 'urgent_referral' ? 'warning' : 'info'}
              showIcon
              className="form-alert"
              title={t('referral.form.fromVisit', { date: visit.visitDate })}
              description={visit.action === 'urgent_referral' ? t('referral.form.urgentFromVisit') : undefined}
              data-testid="referral-from-visit"
            />
          ) : null}
          {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="referral-form-alert" /> : null}
          <div className="ref-form__row">
            <Form.Item name="toInstitutionId" label={t('referral.form.institution')} rules={[{ required: true, message: t('referral.form.institutionRequired') }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={destinations.isPending}
                placeholder={t('referral.form.institutionPlaceholder')}
                options={(destinations.data?.items ?? []).map((h) => ({ value: h.id, label: `${h.name}（${t(`referral.level.${h.level}`, { defaultValue: h.level })}）` }))}
                data-testid="referral-institution"
              />
            </Form.Item>
            <Form.Item name="department" label={t('referral.fields.department')} extra={t('referral.form.departmentHint')} rules={[{ whitespace: true, min: 2, message: t('referral.form.departmentRequired') }]}>
              <Input maxLength={40} placeholder={t('referral.form.departmentPlaceholder')} data-testid="referral-department" />
            </Form.Item>
          </div>
          <div className="ref-form__row">
            <Form.Item name="urgency" label={t('referral.fields.urgency')}>
              <Radio.Group optionType="button" buttonStyle="solid">
                {URGENCIES.map((u) => (
                  <Radio.Button key={u} value={u} data-testid={`referral-urgency-${u}`}>
                    {t(`referral.urgency.${u}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="requestedDate" label={t('referral.fields.appointmentDate')} extra={t('referral.form.appointmentHint')}>
              <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="referral-requested-date" />
            </Form.Item>
          </div>
          <Form.Item name="reason" label={t('referral.fields.reason')} rules={required(t('referral.form.reasonRequired'))}>
            <Input.TextArea rows={2} maxLength={500} data-testid="referral-reason" />
          </Form.Item>
          <Form.Item name="clinicalSummary" label={t('referral.fields.summary')} rules={required(t('referral.form.summaryRequired'))}>
            <Input.TextArea rows={4} maxLength={2000} placeholder={visit ? t('referral.form.summaryFromVisit') : undefined} data-testid="referral-summary" />
          </Form.Item>
          <Typography.Text strong>{t('referral.fields.prescriptions')}</Typography.Text>
          <Table
            size="small"
            rowKey="key"
            className="ref-attached"
            dataSource={attached}
            loading={eligibility.isPending || prescriptions.isPending}
            pagination={false}
            onRow={() => ({ 'data-testid': 'referral-attached' }) as React.HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('referral.form.noPrescriptions')} /> }}
            columns={[
              { title: t('prescriptions.fields.no'), dataIndex: 'no', width: 220, render: (no: string) => <span className="mono">{no}</span> },
              { title: t('prescriptions.fields.writtenOn'), dataIndex: 'date', width: 110, render: (d: string | null) => d ?? t('common.none') },
              { title: t('prescriptions.fields.drugs'), dataIndex: 'drugs', render: (d: string[]) => d.join('、') },
            ]}
          />
        </Form>
      ) : null}
    </Drawer>
  );
}
