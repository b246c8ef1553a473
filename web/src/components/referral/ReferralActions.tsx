// What the signed-in doctor may do with a referral now, as buttons (a list's row, the detail drawer).
// The hospital doctor: accept and schedule (date, department, 四优先) or decline with a reason, mark
// attended, complete, refer back down. The family doctor, on a down-referral: record the follow-up visit
// (the chart; the server marks the referral followed up by the team's first visit since the discharge),
// turn the continue lines into an extended prescription in one step, close it once followed up.
import { App as AntApp, Button, Checkbox, DatePicker, Form, Input, Modal, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api.ts';
import { actionErrorLines, applyServerErrors } from '../../formErrors.ts';
import { toIsoDate } from '../../format.ts';
import { chartPath } from '../followup/paths.ts';
import type { Prescription } from '../prescription/types.ts';
import { acceptReferral, attendReferral, completeReferral, declineReferral, extendReferral, useRefreshReferrals } from './api.ts';
import { PRIORITIES, type Priority, type ReferralItem } from './types.ts';

export type ReferralRole = 'family_doctor' | 'specialist';

interface Props {
  r: ReferralItem;
  role: ReferralRole;
  size?: 'small' | 'middle';
  /** The hospital doctor's 下转 for this patient (opens the down-referral form). */
  onReferDown?: (r: ReferralItem) => void;
  /** After an extension: the new prescription to show. */
  onExtended?: (prescriptionId: string) => void;
}

interface AcceptValues {
  appointmentDate?: Dayjs;
  department?: string;
  priorities: Priority[];
}

function AcceptModal({ r, onClose }: { r: ReferralItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshReferrals();
  const [form] = Form.useForm<AcceptValues>();
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string[]>([]);
  const asked = r.requestedDate && !dayjs(r.requestedDate).isBefore(dayjs(), 'day') ? dayjs(r.requestedDate) : dayjs().add(r.urgency === 'urgent' ? 0 : 1, 'day');
  const ok = async () => {
    let v: AcceptValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const done = await acceptReferral(r.id, { appointmentDate: toIsoDate(v.appointmentDate)!, ...(v.department?.trim() ? { department: v.department.trim() } : {}), priorities: v.priorities });
      refresh();
      void message.success(t('referral.accept.done', { date: done.appointment?.date ?? toIsoDate(v.appointmentDate) }));
      onClose();
    } catch (error) {
      setAlert(applyServerErrors(form, error).unplaced);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('referral.accept.title', { name: r.person.name })}
      okText={t('referral.actions.accept')}
      okButtonProps={{ loading: busy, 'data-testid': 'referral-accept-confirm' } as never}
      onOk={() => void ok()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('referral.accept.hint')}</Typography.Paragraph>
      {alert.length ? <Typography.Paragraph type="danger">{alert.join('；')}</Typography.Paragraph> : null}
      <Form<AcceptValues> form={form} layout="vertical" requiredMark={false} initialValues={{ appointmentDate: asked, department: r.department ?? undefined, priorities: ['appointment'] }}>
        <Space size={12} wrap align="start">
          <Form.Item name="appointmentDate" label={t('referral.fields.appointmentDate')} rules={[{ required: true, message: t('referral.accept.dateRequired') }]}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="referral-accept-date" />
          </Form.Item>
          <Form.Item name="department" label={t('referral.fields.department')}>
            <Input maxLength={40} data-testid="referral-accept-department" />
          </Form.Item>
        </Space>
        <Form.Item name="priorities" label={t('referral.priorities.title')}>
          <Checkbox.Group options={PRIORITIES.map((p) => ({ value: p, label: <span data-testid={`referral-priority-${p}`}>{t(`referral.priorities.${p}`)}</span> }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DeclineModal({ r, onClose }: { r: ReferralItem; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshReferrals();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('referral.decline.title', { name: r.person.name })}
      okText={t('referral.actions.decline')}
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'referral-decline-confirm' } as never}
      onCancel={onClose}
      onOk={async () => {
        setBusy(true);
        try {
          await declineReferral(r.id, reason.trim());
          refresh();
          void message.success(t('referral.decline.done'));
          onClose();
        } catch (error) {
          void message.error(actionErrorLines(error).join('；'));
        } finally {
          setBusy(false);
        }
      }}
      destroyOnHidden
    >
      <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('referral.decline.placeholder')} data-testid="referral-decline-reason" />
    </Modal>
  );
}

export default function ReferralActions({ r, role, size = 'small', onReferDown, onExtended }: Props) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshReferrals();
  const navigate = useNavigate();
  const [modal, setModal] = useState<'accept' | 'decline' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const run = async (name: string, fn: () => Promise<unknown>, done: (result: unknown) => string | Promise<string>) => {
    setBusy(name);
    try {
      const result = await fn();
      refresh();
      void message.success(await done(result));
    } catch (error) {
      void message.error(actionErrorLines(error).join('；'));
    } finally {
      setBusy(null);
    }
  };

  const buttons: React.ReactNode[] = [];
  const d = r.discharge;
  if (role === 'specialist' && r.direction === 'up') {
    if (r.status === 'requested') {
      buttons.push(
        <Button key="accept" size={size} type="primary" onClick={() => setModal('accept')} data-testid="referral-accept">
          {t('referral.actions.accept')}
        </Button>,
        <Button key="decline" size={size} danger onClick={() => setModal('decline')} data-testid="referral-decline">
          {t('referral.actions.decline')}
        </Button>,
      );
    }
    if (r.status === 'accepted')
      buttons.push(
        <Button key="attend" size={size} type="primary" loading={busy === 'attend'} onClick={() => void run('attend', () => attendReferral(r.id), () => t('referral.done.attended'))} data-testid="referral-attend">
          {t('referral.actions.attend')}
        </Button>,
      );
    if (r.status === 'attended') {
      if (onReferDown)
        buttons.push(
          <Button key="down" size={size} type="primary" onClick={() => onReferDown(r)} data-testid="referral-refer-down">
            {t('referral.actions.newDown')}
          </Button>,
        );
      buttons.push(
        <Button key="complete" size={size} loading={busy === 'complete'} onClick={() => void run('complete', () => completeReferral(r.id), () => t('referral.done.completed'))} data-testid="referral-complete">
          {t('referral.actions.complete')}
        </Button>,
      );
    }
  }
  if (role === 'family_doctor' && r.direction === 'down' && d && (r.status === 'requested' || r.status === 'accepted' || r.status === 'attended')) {
    if (d.continueLines.length && !d.extendedPrescriptionId)
      buttons.push(
        <Button
          key="extend"
          size={size}
          type="primary"
          loading={busy === 'extend'}
          onClick={() =>
            void run(
              'extend',
              () => extendReferral(r.id),
              async (result) => {
                const id = (result as { prescriptionId: string }).prescriptionId;
                onExtended?.(id);
                const p = await api<Prescription>(`/api/prescriptions/${encodeURIComponent(id)}`).catch(() => null);
                return t('referral.done.extended', { no: p?.prescriptionNo ?? '', status: p ? t(`prescriptions.status.${p.status}`) : '' });
              },
            )
          }
          data-testid="referral-extend"
        >
          {t('referral.actions.extend')}
        </Button>,
      );
    if (!d.followedUp) {
      buttons.push(
        <Button key="visit" size={size} onClick={() => navigate(chartPath(r.person.id))} data-testid="referral-record-followup">
          {t('referral.actions.recordFollowUp')}
        </Button>,
      );
    } else {
      buttons.push(
        <Button key="complete" size={size} loading={busy === 'complete'} onClick={() => void run('complete', () => completeReferral(r.id), () => t('referral.done.completed'))} data-testid="referral-complete">
          {t('referral.actions.complete')}
        </Button>,
      );
    }
  }
  if (!buttons.length) return null;
  // a click here (or in a modal, whose events bubble through the React tree) does not open the row
  return (
    <span className="ref-actions" onClick={(e) => e.stopPropagation()}>
      <Space size={4} wrap>
        {buttons}
      </Space>
      {modal === 'accept' ? <AcceptModal r={r} onClose={() => setModal(null)} /> : null}
      {modal === 'decline' ? <DeclineModal r={r} onClose={() => setModal(null)} /> : null}
    </span>
  );
}
