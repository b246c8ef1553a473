// One prescription (GET /api/prescriptions/:id): its lines with what is left to fill, the stable
// reason, the pharmacist's findings and, when returned, the review note; the dispenses (place,
// settlement number, batch), the delivery's steps and the history of states. The doctor revises a
// returned or draft one, submits a draft, or cancels (作废) one nothing was dispensed from.
import OrderTracking from '../delivery/DeliverySteps.tsx';
import { App as AntApp, Alert, Button, Descriptions, Drawer, Empty, Input, List, Modal, Skeleton, Space, Table, type TableColumnsType, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { formatDateTime, yuan } from '../../format.ts';
import { currentLanguage } from '../../i18n/index.ts';
import { useIsPhone } from '../../layout/useIsPhone.ts';
import { errorLines } from '../../notify.ts';
import { cancelPrescription, submitPrescription, usePrescription, useRefreshPrescriptions } from './api.ts';
import { OriginTag, StatusTag, placeText } from './labels.tsx';
import { CANCELLABLE, REVISABLE, type Prescription, type PrescriptionLineView } from './types.ts';
import './prescription.css';

const lineDrug = (l: Pick<PrescriptionLineView, 'drugName' | 'drugNameEn'>) => (currentLanguage() === 'en-US' ? l.drugNameEn : l.drugName);

function LinesTable({ p }: { p: Prescription }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  if (phone)
    return (
      <List
        size="small"
        dataSource={p.lines}
        renderItem={(l) => (
          <List.Item data-testid="rx-detail-line">
            <div className="my-rx-card__meta">
              <Typography.Text strong>
                {lineDrug(l)} <Typography.Text type="secondary">{l.strength}</Typography.Text>
              </Typography.Text>
              <span>{t('prescriptions.usage', { dose: l.dose, unit: l.unit, frequency: t(`frequency.${l.frequency}`), days: l.daysSupply })}</span>
              <span>{t('prescriptions.packsLine', { total: l.quantity, dispensed: l.dispensedQuantity, remaining: l.remainingQuantity })}</span>
            </div>
          </List.Item>
        )}
      />
    );
  const columns: TableColumnsType<PrescriptionLineView> = [
    { title: '#', dataIndex: 'lineNo', width: 40 },
    { title: t('rx.drug'), key: 'drug', render: (_, l) => <span>{lineDrug(l)} <Typography.Text type="secondary">{l.strength}</Typography.Text></span> },
    { title: t('prescriptions.form.dose'), key: 'dose', width: 90, render: (_, l) => `${l.dose} ${l.unit}` },
    { title: t('rx.frequency'), dataIndex: 'frequency', width: 120, render: (f: string) => t(`frequency.${f}`) },
    { title: t('rx.daysSupply'), dataIndex: 'daysSupply', width: 70, render: (d: number) => t('rx.daysValue', { days: d }) },
    { title: t('prescriptions.form.packs'), dataIndex: 'quantity', width: 80, render: (q: number) => <span data-testid="rx-detail-packs">{t('prescriptions.packsValue', { count: q })}</span> },
    { title: t('prescriptions.detail.dispensed'), dataIndex: 'dispensedQuantity', width: 80 },
    { title: t('prescriptions.remaining'), dataIndex: 'remainingQuantity', width: 80, render: (r: number) => <Typography.Text strong>{r}</Typography.Text> },
  ];
  return <Table<PrescriptionLineView> size="small" rowKey="lineNo" columns={columns} dataSource={p.lines} pagination={false} onRow={() => ({ 'data-testid': 'rx-detail-line' }) as React.HTMLAttributes<HTMLElement>} />;
}

export function PrescriptionBody({ p }: { p: Prescription }) {
  const { t } = useTranslation();
  const phone = useIsPhone();
  return (
    <div className="rx-detail" data-testid="rx-detail" data-status={p.status}>
      {p.status === 'returned' && p.reviewNote ? (
        <Alert type="warning" showIcon className="form-alert" title={t('prescriptions.detail.returnedBy')} description={<span data-testid="rx-review-note">{p.reviewNote}</span>} />
      ) : null}
      <Descriptions size="small" column={phone ? 1 : 2} bordered={!phone}>
        <Descriptions.Item label={t('prescriptions.fields.no')}>
          <span className="mono">{p.prescriptionNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.status')}>
          <Space size={4} wrap>
            <StatusTag status={p.status} />
            <OriginTag origin={p.origin} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.doctor')}>
          {p.doctor} · {p.institution.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.writtenOn')}>{p.writtenOn}</Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.validUntil')}>{p.validUntil}</Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.daysSupply')}>{t('rx.daysValue', { days: p.daysSupply })}</Descriptions.Item>
        <Descriptions.Item label={t('prescriptions.fields.fillPlace')} span={phone ? 1 : 2}>
          <span data-testid="rx-detail-place">{placeText(p.fillPlace, p.fillInstitution.name, p.deliveryAddress)}</span>
        </Descriptions.Item>
        {p.source ? (
          <Descriptions.Item label={t('prescriptions.fields.source')} span={phone ? 1 : 2}>
            <span className="mono">{p.source.prescriptionNo}</span> · {p.source.institution?.name ?? t('common.none')}
          </Descriptions.Item>
        ) : null}
        {p.stableReason ? (
          <Descriptions.Item label={t('prescriptions.form.stableReason')} span={phone ? 1 : 2}>
            {p.stableReason}
          </Descriptions.Item>
        ) : null}
      </Descriptions>

      <div className="rx-detail__section">
        <Typography.Text strong>{t('prescriptions.form.lines')}</Typography.Text>
        <LinesTable p={p} />
      </div>

      {p.findings.length ? (
        <div className="rx-detail__section" data-testid="rx-findings">
          <Typography.Text strong>{t('prescriptions.detail.findings')}</Typography.Text>
          <div className="rx-findings">
            {p.findings.map((f, i) => (
              <div key={i} data-testid="rx-finding" data-code={f.code}>
                <Tag color={f.severity === 'block' ? 'red' : 'orange'}>{t(`prescriptions.severity.${f.severity}`)}</Tag>
                {f.line !== null ? <Typography.Text type="secondary">{t('prescriptions.detail.lineNo', { line: f.line })} </Typography.Text> : null}
                {t(`prescriptions.findings.${f.code}`, { defaultValue: f.text })}
              </div>
            ))}
          </div>
          {p.overrideReason ? (
            <Typography.Paragraph type="secondary" className="section-hint">
              {t('prescriptions.detail.override', { reason: p.overrideReason })}
            </Typography.Paragraph>
          ) : null}
        </div>
      ) : null}

      {p.deliveries.length ? (
        <div className="rx-detail__section" data-testid="rx-deliveries">
          <Typography.Text strong>{t('prescriptions.detail.deliveries')}</Typography.Text>
          {/* each step with who and when, the reason of a failed one and the signed receipt's photo */}
          <OrderTracking prescriptionId={p.id} />
        </div>
      ) : null}

      <div className="rx-detail__section" data-testid="rx-dispenses">
        <Typography.Text strong>{t('prescriptions.detail.dispenses')}</Typography.Text>
        {p.dispenses.length ? (
          <List
            size="small"
            dataSource={p.dispenses}
            renderItem={(d) => (
              <List.Item data-testid="rx-dispense">
                <div className="my-rx-card__meta">
                  <span>
                    <Typography.Text strong>{d.institution.name}</Typography.Text> · {formatDateTime(d.dispensedAt)}{' '}
                    {d.delivery ? <Tag color="blue">{t('prescriptions.place.delivery')}</Tag> : null}
                    {d.status !== 'dispensed' ? <Tag>{t(`prescriptions.dispenseStatus.${d.status}`, { defaultValue: d.status })}</Tag> : null}
                  </span>
                  <span>
                    {t('prescriptions.detail.settlementNo')} <span className="mono">{d.settlementNo}</span> · {t('prescriptions.detail.amount', { amount: yuan(d.amountFen), fund: yuan(d.fundPayFen) })}
                  </span>
                  {d.lines.map((l) => (
                    <Typography.Text type="secondary" key={`${l.prescriptionLineNo}-${l.batchNo}`}>
                      {t('prescriptions.detail.batch', { line: l.prescriptionLineNo, batch: l.batchNo, expiry: l.expiryDate, quantity: l.quantity })}
                    </Typography.Text>
                  ))}
                  {d.returnReason ? <Typography.Text type="secondary">{t('prescriptions.detail.takenBack', { reason: d.returnReason })}</Typography.Text> : null}
                </div>
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.detail.noDispenses')} />
        )}
      </div>

      <div className="rx-detail__section rx-history" data-testid="rx-history">
        <Typography.Text strong>{t('prescriptions.detail.history')}</Typography.Text>
        <Timeline
          items={p.history.map((h) => ({
            color: h.action === 'return' || h.action === 'cancel' ? 'red' : h.action === 'approve' ? 'green' : 'blue',
            content: (
              <div data-testid="rx-history-entry" data-action={h.action}>
                <Typography.Text strong>{t(`prescriptions.action.${h.action}`, { defaultValue: h.action })}</Typography.Text>{' '}
                <Typography.Text type="secondary">
                  {formatDateTime(h.at)}
                  {h.by ? ` · ${h.by}` : ''}
                </Typography.Text>
                {h.reason ? <div>{h.reason}</div> : null}
              </div>
            ),
          }))}
        />
      </div>
    </div>
  );
}

/** `onRevise`: the doctor's revise action (opens the write form); absent for the patient. */
export default function PrescriptionDetailDrawer({
  id,
  onClose,
  onRevise,
}: {
  id: string | null;
  onClose: () => void;
  onRevise?: (p: Prescription) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const phone = useIsPhone();
  const detail = usePrescription(id);
  const refresh = useRefreshPrescriptions();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const p = detail.data;
  const doctor = !!onRevise;

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await fn();
      refresh();
      void message.success(done);
      return true;
    } catch (error) {
      void message.error(actionErrorLines(error).join('；'));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const actions =
    doctor && p ? (
      <Space size={8} wrap>
        {REVISABLE.includes(p.status) ? (
          <Button type={p.status === 'returned' ? 'primary' : 'default'} onClick={() => onRevise!(p)} data-testid="rx-revise">
            {p.status === 'returned' ? t('prescriptions.detail.revise') : t('prescriptions.detail.edit')}
          </Button>
        ) : null}
        {p.status === 'draft' ? (
          <Button type="primary" loading={busy} onClick={() => void run(() => submitPrescription(p.id), t('prescriptions.form.submitted', { no: p.prescriptionNo }))} data-testid="rx-detail-submit">
            {t('prescriptions.form.submit')}
          </Button>
        ) : null}
        {CANCELLABLE.includes(p.status) && !p.dispenses.length ? (
          <Button danger onClick={() => setCancelling(true)} data-testid="rx-cancel">
            {t('prescriptions.detail.cancel')}
          </Button>
        ) : null}
      </Space>
    ) : null;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      placement={phone ? 'bottom' : 'right'}
      size={phone ? '90%' : 880}
      title={p ? t('prescriptions.detail.title', { no: p.prescriptionNo }) : t('prescriptions.detail.titleLoading')}
      extra={phone ? null : actions}
      footer={phone && actions ? actions : null}
      destroyOnHidden
      data-testid="rx-detail-drawer"
    >
      {detail.isError ? <Alert type="error" showIcon title={errorLines(detail.error).join('；')} /> : null}
      {p ? <PrescriptionBody p={p} /> : detail.isError ? null : <Skeleton active paragraph={{ rows: 6 }} />}
      <Modal
        open={cancelling}
        title={t('prescriptions.detail.cancelTitle')}
        okText={t('prescriptions.detail.cancel')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, 'data-testid': 'rx-cancel-confirm' } as never}
        onCancel={() => setCancelling(false)}
        onOk={async () => {
          if (p && (await run(() => cancelPrescription(p.id, reason.trim()), t('prescriptions.detail.cancelled')))) setCancelling(false);
        }}
        destroyOnHidden
      >
        <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('prescriptions.detail.cancelReason')} data-testid="rx-cancel-reason" />
      </Modal>
    </Drawer>
  );
}
