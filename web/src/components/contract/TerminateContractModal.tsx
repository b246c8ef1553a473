// 解约: a reason is required; the termination date defaults to today and must fall within the contract.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, DatePicker, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors, clearAlertWhenFixed } from '../../formErrors.ts';
import { ISO_DATE, toIsoDate } from '../../format.ts';
import type { Contract } from '../../types.ts';

export interface TerminateTarget {
  person: { id: string; name: string };
  contract: { id: string; startDate: string; endDate: string };
}

const QUICK_REASONS = ['movedOut', 'patientRequest', 'death', 'otherTeam'] as const;

/** Give it a new `key` for each opening. */
export default function TerminateContractModal({
  target,
  onClose,
}: {
  target: TerminateTarget | null;
  onClose: (done?: Contract) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string; terminatedOn?: Dayjs }>();
  const client = useQueryClient();
  const [alert, setAlert] = useState<string[]>([]);

  const save = useMutation({
    mutationFn: (v: { reason: string; terminatedOn?: Dayjs }) =>
      api<Contract>(`/api/contracts/${target!.contract.id}/terminate`, {
        method: 'POST',
        body: { reason: v.reason.trim(), terminatedOn: toIsoDate(v.terminatedOn) },
      }),
    meta: { silent: true },
    onSuccess: (contract) => {
      for (const key of ['team', 'teams', 'contracts', 'eligibility', 'people']) void client.invalidateQueries({ queryKey: [key] });
      onClose(contract);
    },
    onError: (error) => setAlert(applyServerErrors(form, error).unplaced),
  });

  return (
    <Modal
      open={target !== null}
      title={target ? t('contract.terminateTitle', { name: target.person.name }) : null}
      okText={t('contract.terminateSubmit')}
      okButtonProps={{ danger: true, 'data-testid': 'terminate-submit' }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => onClose()}
      destroyOnHidden
    >
      {target ? (
        <Typography.Paragraph type="secondary">
          {t('contract.terminateHint', { start: target.contract.startDate, end: target.contract.endDate })}
        </Typography.Paragraph>
      ) : null}
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ terminatedOn: dayjs().startOf('day') }}
        onFinish={(v) => save.mutate(v)}
        onFieldsChange={clearAlertWhenFixed(form, alert, setAlert)}
      >
        <Form.Item
          name="reason"
          label={t('contract.terminateReason')}
          rules={[
            { required: true, whitespace: true, message: t('contract.terminateReasonRequired') },
            { min: 2, message: t('contract.terminateReasonRequired') },
          ]}
          extra={
            <Space size={[4, 4]} wrap className="quick-reasons">
              {QUICK_REASONS.map((r) => (
                <Tag.CheckableTag
                  key={r}
                  checked={false}
                  onChange={() => form.setFieldsValue({ reason: t(`contract.quickReasons.${r}`) })}
                >
                  {t(`contract.quickReasons.${r}`)}
                </Tag.CheckableTag>
              ))}
            </Space>
          }
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="terminate-reason" />
        </Form.Item>
        <Form.Item name="terminatedOn" label={t('contract.terminatedOn')}>
          <DatePicker format={ISO_DATE} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
