// 我的处方 (patient): my prescriptions (GET /api/people/{my id}/prescriptions) — state, drugs, packs still
// to collect, where they are filled and, for home delivery, the delivery's steps — with what I can do:
// choose another place for an approved one (PUT …/place, 云处方) and ask my team for a renewal
// (POST …/renewal-requests); below, my renewal requests and how they stand (GET /api/me/renewal-requests).
// Cards in one column on a phone; nothing wider than the screen.
import { MedicineBoxOutlined } from '@ant-design/icons';
import { App as AntApp, Alert, Button, Card, Empty, Form, Input, List, Modal, Radio, Result, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { actionErrorLines } from '../../formErrors.ts';
import { formatDateTime } from '../../format.ts';
import { usePharmacies } from '../../hooks/reference.ts';
import { errorLines } from '../../notify.ts';
import { choosePlace, requestRenewal, useMyPerson, useMyRenewalRequests, usePersonPrescriptions, usePrescription, useRefreshPrescriptions } from '../../components/prescription/api.ts';
import { StatusTag, placeText } from '../../components/prescription/labels.tsx';
import OrderTracking from '../../components/delivery/DeliverySteps.tsx';
import { useDrugNames } from '../../components/prescription/PersonPrescriptions.tsx';
import PrescriptionDetailDrawer from '../../components/prescription/PrescriptionDetailDrawer.tsx';
import { FILL_PLACES, PLACEABLE, RENEWABLE, type FillPlace, type PrescriptionItem, type RenewalRequest } from '../../components/prescription/types.ts';
import '../../components/prescription/prescription.css';

/** Where my delivered drugs are: each step with who and when, and the signed receipt (components/delivery). */
function Deliveries({ id }: { id: string }) {
  const detail = usePrescription(id);
  if (!detail.data?.deliveries.length) return null;
  return <OrderTracking prescriptionId={id} />;
}

function PlaceModal({ item, address, onClose }: { item: PrescriptionItem | null; address: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshPrescriptions();
  const pharmacies = usePharmacies(item !== null);
  const [form] = Form.useForm<{ fillPlace: FillPlace; fillInstitutionId?: string; deliveryAddress?: string }>();
  const place: FillPlace = Form.useWatch('fillPlace', form) ?? item?.fillPlace ?? 'own';
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string[]>([]);
  return (
    <Modal
      open={item !== null}
      title={t('prescriptions.mine.placeTitle')}
      okText={t('prescriptions.mine.placeSave')}
      okButtonProps={{ loading: busy, 'data-testid': 'my-rx-place-save' } as never}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        try {
          await choosePlace(item!.id, {
            fillPlace: v.fillPlace,
            ...(v.fillPlace === 'pharmacy' ? { fillInstitutionId: v.fillInstitutionId } : {}),
            ...(v.fillPlace === 'delivery' ? { deliveryAddress: v.deliveryAddress?.trim() || null } : {}),
          });
          refresh();
          void message.success(t('prescriptions.mine.placeSaved'));
          onClose();
        } catch (error) {
          setAlert(actionErrorLines(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      {item ? (
        <Form form={form} layout="vertical" initialValues={{ fillPlace: item.fillPlace, deliveryAddress: address ?? undefined }} preserve={false}>
          {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} /> : null}
          <Form.Item name="fillPlace" label={t('prescriptions.form.fillPlace')}>
            <Radio.Group>
              <Space direction="vertical">
                {FILL_PLACES.map((p) => (
                  <Radio key={p} value={p} data-testid={`my-rx-place-${p}`}>
                    {t(`prescriptions.place.${p}`)}
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          </Form.Item>
          {place === 'pharmacy' ? (
            <Form.Item name="fillInstitutionId" label={t('prescriptions.form.pharmacy')} rules={[{ required: true, message: t('rx.pharmacyRequired') }]}>
              <Select showSearch={{ optionFilterProp: 'label' }} loading={pharmacies.isPending} options={(pharmacies.data ?? []).map((p) => ({ value: p.id, label: p.name }))} data-testid="my-rx-pharmacy" />
            </Form.Item>
          ) : null}
          {place === 'delivery' ? (
            <Form.Item name="deliveryAddress" label={t('prescriptions.form.deliveryAddress')} rules={[{ required: true, whitespace: true, min: 4, message: t('prescriptions.form.deliveryAddressRequired') }]}>
              <Input maxLength={200} data-testid="my-rx-address" />
            </Form.Item>
          ) : null}
        </Form>
      ) : null}
    </Modal>
  );
}

function RenewModal({ item, onClose }: { item: PrescriptionItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const refresh = useRefreshPrescriptions();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [alert, setAlert] = useState<string[]>([]);
  return (
    <Modal
      open={item !== null}
      title={t('prescriptions.mine.renewTitle')}
      okText={t('prescriptions.mine.renewSend')}
      okButtonProps={{ loading: busy, 'data-testid': 'my-rx-renew-send' } as never}
      onCancel={onClose}
      destroyOnHidden
      onOk={async () => {
        setBusy(true);
        try {
          await requestRenewal(item!.id, note.trim() || null);
          refresh();
          void message.success(t('prescriptions.mine.renewSent'));
          setNote('');
          onClose();
        } catch (error) {
          setAlert(actionErrorLines(error));
        } finally {
          setBusy(false);
        }
      }}
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="my-rx-renew-alert" /> : null}
      <Typography.Paragraph type="secondary">{t('prescriptions.mine.renewHint')}</Typography.Paragraph>
      <Input.TextArea rows={3} maxLength={200} showCount value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('prescriptions.mine.renewNote')} data-testid="my-rx-renew-note" />
    </Modal>
  );
}

const REQUEST_COLOR: Record<string, string> = { open: 'processing', renewed: 'green', declined: 'red' };

function Requests({ items, loading }: { items: RenewalRequest[]; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('prescriptions.mine.requests')} data-testid="my-renewal-requests">
      <List
        size="small"
        loading={loading}
        dataSource={items}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.mine.noRequests')} /> }}
        renderItem={(r) => (
          <List.Item data-testid="my-renewal-request" data-status={r.status}>
            <div className="my-rx-request">
              <Space size={6} wrap>
                <Tag color={REQUEST_COLOR[r.status]}>{t(`prescriptions.requestStatus.${r.status}`, { defaultValue: r.status })}</Tag>
                <span className="mono">{r.prescriptionNo}</span>
              </Space>
              <Typography.Text type="secondary">{t('prescriptions.mine.requestedAt', { at: formatDateTime(r.requestedAt) })}</Typography.Text>
              {r.note ? <span>{t('prescriptions.mine.myNote', { note: r.note })}</span> : null}
              {r.status === 'declined' && r.declineReason ? <Typography.Text type="danger">{t('prescriptions.mine.declinedBecause', { reason: r.declineReason })}</Typography.Text> : null}
              {r.status === 'renewed' ? <Typography.Text type="success">{t('prescriptions.mine.renewedHint')}</Typography.Text> : null}
            </div>
          </List.Item>
        )}
      />
    </Card>
  );
}

export default function MyPrescriptionsPage() {
  const { t } = useTranslation();
  const me = useMyPerson();
  const list = usePersonPrescriptions(me.data?.id ?? null);
  const requests = useMyRenewalRequests();
  const name = useDrugNames();
  const [open, setOpen] = useState<string | null>(null);
  const [placing, setPlacing] = useState<PrescriptionItem | null>(null);
  const [renewing, setRenewing] = useState<PrescriptionItem | null>(null);

  if (me.isError) return <Result status="info" title={t('person.myInfoMissing')} />;
  const items = list.data?.items ?? [];
  const openRequest = new Set((requests.data?.items ?? []).filter((r) => r.status === 'open').map((r) => r.prescriptionId));
  // a renewal is asked of the newest prescription of the same drugs, not of every earlier one
  const newest = new Set<string>();
  const seen = new Set<string>();
  for (const p of items) {
    const drugs = [...p.drugs].sort().join(',');
    if (RENEWABLE.includes(p.status) && !seen.has(drugs)) newest.add(p.id);
    if (p.status !== 'cancelled') seen.add(drugs);
  }

  return (
    <div className="page-stack" data-testid="my-prescriptions">
      {requests.data?.items.length ? <Requests items={requests.data.items} loading={false} /> : null}
      <Card
        size="small"
        title={
          <Space size={8}>
            <MedicineBoxOutlined />
            {t('prescriptions.mine.title')}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" className="section-hint">
          {t('prescriptions.mine.hint')}
        </Typography.Paragraph>
        {list.isError ? <Alert type="error" showIcon title={errorLines(list.error).join('；')} /> : null}
        {!list.data && !list.isError ? (
          <Skeleton active paragraph={{ rows: 4 }} />
        ) : items.length ? (
          <div className="my-rx-list">
            {items.map((p) => (
              <Card
                key={p.id}
                size="small"
                className="my-rx-card"
                data-testid="my-rx-card"
                data-id={p.id}
                data-status={p.status}
                title={<span className="mono">{p.writtenOn}</span>}
                extra={<StatusTag status={p.status} />}
              >
                <div className="my-rx-card__meta">
                  <Typography.Text strong className="rx-drugs">
                    {p.drugs.map((c) => name(c, true)).join('、')}
                  </Typography.Text>
                  <span>
                    {t('prescriptions.remaining')}：<Typography.Text strong data-testid="my-rx-remaining">{t('prescriptions.packsValue', { count: p.remainingPacks })}</Typography.Text>
                    {' · '}
                    {t('rx.daysValue', { days: p.daysSupply })}
                  </span>
                  <span data-testid="my-rx-place">
                    {t('prescriptions.fields.fillPlace')}：{placeText(p.fillPlace, p.fillInstitution)}
                  </span>
                  <Typography.Text type="secondary">
                    {t('prescriptions.mine.validUntil', { date: p.validUntil })} · {p.doctor}
                  </Typography.Text>
                  {p.fillPlace === 'delivery' && PLACEABLE.concat(['dispensed']).includes(p.status) ? <Deliveries id={p.id} /> : null}
                  {openRequest.has(p.id) ? <Tag color="processing" className="my-rx-card__tag">{t('prescriptions.mine.requestOpen')}</Tag> : null}
                </div>
                <div className="my-rx-card__actions">
                  <Button size="small" onClick={() => setOpen(p.id)} data-testid="my-rx-open">
                    {t('prescriptions.mine.details')}
                  </Button>
                  {PLACEABLE.includes(p.status) ? (
                    <Button size="small" onClick={() => setPlacing(p)} data-testid="my-rx-change-place">
                      {t('prescriptions.mine.changePlace')}
                    </Button>
                  ) : null}
                  {newest.has(p.id) && !openRequest.has(p.id) ? (
                    <Button size="small" type="primary" onClick={() => setRenewing(p)} data-testid="my-rx-renew">
                      {t('prescriptions.mine.renew')}
                    </Button>
                  ) : null}
                </div>
              </Card>
            ))}
          </div>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('prescriptions.mine.empty')} />
        )}
      </Card>
      <PrescriptionDetailDrawer id={open} onClose={() => setOpen(null)} />
      <PlaceModal item={placing} address={me.data?.address ?? null} onClose={() => setPlacing(null)} />
      <RenewModal item={renewing} onClose={() => setRenewing(null)} />
    </div>
  );
}
