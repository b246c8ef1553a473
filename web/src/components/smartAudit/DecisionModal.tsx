// The reviewer's decision on a finding: 确认 with a deduction entered in yuan (stored in fen) against
// the institution or the prescribing doctor, 排除 with the reason, or 重新打开 a decided one with the
// reason. The server's refusals land at their fields; the rest above the form.
import { Alert, App as AntApp, Form, Input, InputNumber, Modal, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerErrors } from '../../formErrors.ts';
import { yuan } from '../../format.ts';
import { onFormFields } from './errors.ts';
import { fenOfYuan } from './units.ts';
import { type DeductionAgainst, type FindingSummary, useDecide } from './api.ts';

export type DecisionKind = 'confirm' | 'dismiss' | 'reopen';

export interface DecisionTarget {
  kind: DecisionKind;
  finding: FindingSummary;
}

interface Values {
  deductionYuan?: number;
  against?: DeductionAgainst;
  reason?: string;
}

export default function DecisionModal({ target, onClose }: { target: DecisionTarget | null; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const decide = useDecide(target?.finding.id ?? '');
  const kind = target?.kind;

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setAlert([]);
    const reason = v.reason?.trim() || undefined;
    try {
      if (kind === 'confirm') await decide.mutateAsync({ kind, deductionFen: fenOfYuan(v.deductionYuan ?? 0), against: v.against ?? 'institution', reason });
      else await decide.mutateAsync({ kind: kind!, reason: reason ?? '' });
      void message.success(t(`smartAudit.decide.done.${kind}`));
      onClose(true);
    } catch (error) {
      const { unplaced } = applyServerErrors(form, onFormFields(error, { deductionFen: 'deductionYuan' }));
      setAlert(unplaced);
    }
  };

  const f = target?.finding;
  return (
    <Modal
      open={target !== null}
      title={kind ? t(`smartAudit.decide.title.${kind}`) : null}
      okText={kind ? t(`smartAudit.decide.action.${kind}`) : undefined}
      okButtonProps={{ danger: kind === 'confirm', loading: decide.isPending, 'data-testid': 'decision-submit' }}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
      data-testid="decision-modal"
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="decision-alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={kind === 'confirm' && f ? { deductionYuan: f.amountFen / 100, against: 'institution' } : {}}
        onFieldsChange={() => alert.length && setAlert([])}
      >
        {kind === 'confirm' && f ? (
          <>
            <Form.Item
              name="deductionYuan"
              label={t('smartAudit.decide.deduction')}
              extra={t('smartAudit.decide.deductionHint', { amount: yuan(f.amountFen) })}
              rules={[{ required: true, message: t('smartAudit.decide.deductionRequired') }]}
            >
              <InputNumber min={0} max={10_000_000} precision={2} prefix="¥" style={{ width: 200 }} data-testid="decision-deduction" />
            </Form.Item>
            <Form.Item name="against" label={t('smartAudit.decide.against')} rules={[{ required: true }]}>
              <Radio.Group
                data-testid="decision-against"
                options={[
                  { value: 'institution', label: <span data-testid="against-institution">{t('smartAudit.decide.againstInstitution', { name: f.institution.name })}</span> },
                  {
                    value: 'doctor',
                    disabled: !f.doctor,
                    label: <span data-testid="against-doctor">{t('smartAudit.decide.againstDoctor', { name: f.doctor?.name ?? t('common.none') })}</span>,
                  },
                ]}
              />
            </Form.Item>
            <Form.Item name="reason" label={t('smartAudit.decide.note')}>
              <Input.TextArea rows={2} maxLength={500} showCount data-testid="decision-reason" />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="reason"
            label={t(kind === 'reopen' ? 'smartAudit.decide.reopenReason' : 'smartAudit.decide.dismissReason')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('smartAudit.decide.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="decision-reason" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
