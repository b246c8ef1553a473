// 冲正/退费: says what will be given back, asks for the reason (2–200 characters), then reverses.
import { Alert, App, Descriptions, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { yuan } from '../../format.ts';
import { applyServerErrors } from '../../formErrors.ts';
import { counterErrorLines, useReverse } from './api.ts';
import { Money } from './money.tsx';
import type { Settlement } from './types.ts';

export interface ReverseTarget {
  id: string;
  personName: string;
  serviceDate: string;
  amountFen: number;
  fundPayFen: number;
}

const QUICK = ['returned', 'wrongEntry', 'duplicate', 'wrongPatient'] as const;

/** Give it a new `key` for each opening. */
export default function ReverseModal({ target, onClose }: { target: ReverseTarget | null; onClose: (done?: Settlement) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const reverse = useReverse();
  const { message } = App.useApp();
  const [alert, setAlert] = useState<string[]>([]);

  const submit = (v: { reason: string }) => {
    if (!target || reverse.isPending) return;
    setAlert([]);
    reverse.mutate(
      { id: target.id, reason: v.reason.trim() },
      {
        onSuccess: (s) => {
          void message.success(t('counter.reverse.success'));
          onClose(s);
        },
        onError: (error) => {
          const placed = applyServerErrors(form, error);
          setAlert(placed.placed ? placed.unplaced : counterErrorLines(error));
        },
      },
    );
  };

  return (
    <Modal
      open={target !== null}
      title={target ? t('counter.reverse.title', { name: target.personName }) : null}
      okText={t('counter.reverse.ok')}
      okButtonProps={{ danger: true, 'data-testid': 'reverse-submit' }}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={reverse.isPending}
      onCancel={() => onClose()}
      destroyOnHidden
    >
      {target ? (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            className="counter-reverse__facts"
            items={[
              { key: 'no', label: t('counter.receipt.number'), children: <span className="mono">{target.id}</span> },
              { key: 'date', label: t('counter.receipt.serviceDate'), children: target.serviceDate },
              { key: 'amount', label: t('counter.quote.amountTotal'), children: <Money fen={target.amountFen} unit /> },
              { key: 'fund', label: t('counter.quote.fundTotal'), children: <Money fen={target.fundPayFen} unit strong /> },
            ]}
          />
          <Alert type="warning" showIcon className="form-alert" title={t('counter.reverse.hint', { fund: yuan(target.fundPayFen) })} />
        </>
      ) : null}
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="reverse-error" /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('counter.reverse.reason')}
          rules={[
            { required: true, whitespace: true, message: t('counter.reverse.reasonRequired') },
            { min: 2, message: t('counter.reverse.reasonRequired') },
          ]}
          extra={
            <Space size={[4, 4]} wrap className="quick-reasons">
              {QUICK.map((r) => (
                <Tag.CheckableTag key={r} checked={false} onChange={() => form.setFieldsValue({ reason: t(`counter.reverse.quick.${r}`) })}>
                  {t(`counter.reverse.quick.${r}`)}
                </Tag.CheckableTag>
              ))}
            </Space>
          }
        >
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="reverse-reason" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('counter.reverse.irreversible')}</Typography.Text>
    </Modal>
  );
}
