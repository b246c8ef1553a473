// 差错: the amount of a sampled claim that was paid in error (entered in yuan, at most the claim's
// amount, stored in fen) and a note saying what was wrong.
import { Alert, Form, Input, InputNumber, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerErrors } from '../../formErrors.ts';
import { yuan } from '../../format.ts';
import { useMarkSampleClaim } from './api.ts';
import { onFormFields } from './errors.ts';
import { fenOfYuan } from './units.ts';
import type { ErrorTarget } from './SampleClaims.tsx';

interface Values {
  errorYuan: number;
  note?: string;
}

export default function SampleErrorModal({ sampleId, target, onClose }: { sampleId: string; target: ErrorTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const mark = useMarkSampleClaim(sampleId);
  const claim = target?.claim;

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setAlert([]);
    try {
      await mark.mutateAsync({ claimId: claim!.claimId, result: 'error', errorAmountFen: fenOfYuan(v.errorYuan), note: v.note?.trim() || undefined });
      onClose();
    } catch (error) {
      setAlert(applyServerErrors(form, onFormFields(error, { errorAmountFen: 'errorYuan' })).unplaced);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={t('smartAudit.samples.errorTitle')}
      okText={t('smartAudit.samples.markError')}
      okButtonProps={{ danger: true, loading: mark.isPending, 'data-testid': 'sample-error-submit' }}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} /> : null}
      {claim ? (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ errorYuan: claim.errorAmountFen !== null ? claim.errorAmountFen / 100 : undefined, note: claim.note ?? undefined }}>
          <Form.Item
            name="errorYuan"
            label={t('smartAudit.samples.errorAmount')}
            extra={t('smartAudit.samples.errorAmountHint', { amount: yuan(claim.fundPayFen) })}
            rules={[
              { required: true, message: t('smartAudit.samples.errorAmountRequired') },
              { type: 'number', max: claim.fundPayFen / 100, message: t('smartAudit.samples.errorAmountMax', { amount: yuan(claim.fundPayFen) }) },
            ]}
          >
            <InputNumber min={0.01} precision={2} prefix="¥" style={{ width: 200 }} data-testid="sample-error-yuan" />
          </Form.Item>
          <Form.Item name="note" label={t('smartAudit.samples.note')}>
            <Input.TextArea rows={2} maxLength={500} showCount data-testid="sample-error-note" />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
