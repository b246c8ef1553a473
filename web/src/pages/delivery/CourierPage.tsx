// 我的配送单 (/deliveries): the delivery provider's staff on their phone (390 px: one column, nothing
// wider than the screen, big touch targets). The provider's orders by status; an order (/deliveries/:id)
// with the address, the phone to call and the drugs; 复核 (two different people, one a pharmacist),
// 出发配送, 送达 with the photo of the signed receipt taken by the phone's camera, 配送失败 / 退回 with a reason.
import { CameraOutlined, CheckOutlined, CloseCircleOutlined, LeftOutlined, ReloadOutlined, RollbackOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, type ButtonProps, Card, Empty, Input, Modal, Skeleton, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '../../auth.ts';
import { formatDateTime } from '../../format.ts';
import { TelLink } from '../../layout/TelLink.tsx';
import { errorLines } from '../../notify.ts';
import { type DeliveryOrder, type ListFilter, OPEN_STATUSES, photoForUpload, useDeliveryOrder, useDeliveryOrders, useDeliveryStep } from '../../components/delivery/api.ts';
import { DeliveryStatusTag, OrderSteps } from '../../components/delivery/DeliverySteps.tsx';
import { NotFoundPage } from '../StatusPages.tsx';
import '../../components/delivery/delivery.css';

const FILTERS: ListFilter[] = ['open', 'ordered', 'rechecked', 'out_for_delivery', 'delivered', 'failed', 'returned'];

function OrderList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [filter, setFilter] = useState<ListFilter>('open');
  const list = useDeliveryOrders(filter);
  const counts = list.data?.counts;
  const count = (f: ListFilter) => (!counts ? null : f === 'open' ? OPEN_STATUSES.reduce((s, x) => s + counts[x], 0) : f === 'all' ? null : counts[f]);
  return (
    <div className="courier" data-testid="courier-list">
      <div className="courier__filters" role="tablist">
        {FILTERS.map((f) => (
          <Button key={f} type={f === filter ? 'primary' : 'default'} onClick={() => setFilter(f)} data-testid={`courier-filter-${f}`} role="tab" aria-selected={f === filter}>
            {f === 'open' || f === 'all' ? t(`delivery.filter.${f}`) : t(`delivery.status.${f}`)}
            {count(f) !== null ? ` ${count(f)}` : ''}
          </Button>
        ))}
      </div>
      {list.isPending ? (
        <Skeleton active />
      ) : list.isError ? (
        <Alert type="error" showIcon title={errorLines(list.error).join('；')} action={<Button onClick={() => list.refetch()}>{t('common.retry')}</Button>} />
      ) : list.data.items.length === 0 ? (
        <Empty description={t('delivery.hints.empty')} />
      ) : (
        list.data.items.map((o) => (
          <Card key={o.id} className="courier__card" hoverable onClick={() => navigate(`/deliveries/${o.id}`)} data-testid="courier-order" data-order={o.id}>
            <div className="courier__card-head">
              <span className="courier__name">{o.person.name}</span>
              <DeliveryStatusTag status={o.status} />
            </div>
            <div className="courier__address">{o.address}</div>
            <div className="courier__meta">
              {o.lines.map((l) => `${l.drugName} × ${l.quantity}`).join('、')} · {formatDateTime(o.createdAt)}
            </div>
          </Card>
        ))
      )}
      <Button block icon={<ReloadOutlined />} onClick={() => list.refetch()} style={{ minHeight: 44 }}>
        {t('delivery.actions.refresh')}
      </Button>
    </div>
  );
}

function ReasonModal({ kind, open, onClose, onSubmit, pending }: { kind: 'failed' | 'returned'; open: boolean; onClose: () => void; onSubmit: (reason: string) => void; pending: boolean }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  useEffect(() => {
    if (open) setReason('');
  }, [open]);
  const ok = reason.trim().length >= 2;
  return (
    <Modal
      open={open}
      title={t(`delivery.actions.${kind}`)}
      onCancel={onClose}
      onOk={() => ok && onSubmit(reason.trim())}
      okButtonProps={{ disabled: !ok, loading: pending, danger: true, size: 'large', 'data-testid': 'courier-reason-submit' } as ButtonProps}
      cancelButtonProps={{ size: 'large' }}
      okText={t(`delivery.actions.${kind}`)}
      cancelText={t('common.cancel')}
      width="min(520px, calc(100vw - 24px))"
    >
      <Typography.Paragraph type="secondary">{t('delivery.hints.reason')}</Typography.Paragraph>
      <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={200} showCount placeholder={t('delivery.reasonPlaceholder')} data-testid="courier-reason" />
    </Modal>
  );
}

function Actions({ order }: { order: DeliveryOrder }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const step = useDeliveryStep(order.id);
  const [photo, setPhoto] = useState<{ name: string; contentBase64: string; preview: string } | null>(null);
  const [reasonFor, setReasonFor] = useState<'failed' | 'returned' | null>(null);
  const run = (a: Parameters<typeof step.mutate>[0], after?: () => void) =>
    step.mutate(a, {
      onSuccess: (o) => {
        message.success(t(`delivery.status.${o.status}`));
        after?.();
      },
      onError: (e) => message.error(errorLines(e).join('；')),
    });
  const open = OPEN_STATUSES.includes(order.status);
  if (!open) return null;
  const firstByCourier = order.rechecks.length === 1 && order.rechecks[0]!.role !== 'pharmacist';
  return (
    <div className="courier__actions">
      {order.status === 'ordered' ? (
        <>
          <Typography.Text type="secondary">
            {order.recheckedByMe
              ? t('delivery.hints.recheckedByMe')
              : firstByCourier
                ? t('delivery.hints.needPharmacist')
                : order.rechecks.length === 1
                  ? t('delivery.hints.waitSecond')
                  : t('delivery.hints.recheckTwo')}
          </Typography.Text>
          <Button type="primary" size="large" icon={<SafetyCertificateOutlined />} disabled={order.recheckedByMe} loading={step.isPending} onClick={() => run({ kind: 'recheck' })} data-testid="courier-recheck">
            {order.recheckedByMe ? t('delivery.actions.recheckDone') : t('delivery.actions.recheck')}
          </Button>
        </>
      ) : null}
      {order.status === 'rechecked' ? (
        <Button type="primary" size="large" icon={<SendOutlined />} loading={step.isPending} onClick={() => run({ kind: 'out' })} data-testid="courier-out">
          {t('delivery.actions.out')}
        </Button>
      ) : null}
      {order.status === 'out_for_delivery' ? (
        <>
          <Typography.Text type="secondary">{t('delivery.hints.photo')}</Typography.Text>
          {photo ? <img src={photo.preview} alt={t('delivery.fields.proof')} className="courier__photo" data-testid="courier-photo-preview" /> : null}
          <label className="courier__photo-label" data-testid="courier-photo-label">
            <CameraOutlined /> {photo ? t('delivery.actions.retake') : t('delivery.actions.takePhoto')}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              className="courier__file"
              data-testid="courier-photo"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                const ready = await photoForUpload(file);
                // a data: URL (the page's policy allows images of its own origin and data: only)
                setPhoto({ ...ready, preview: `data:${ready.mediaType};base64,${ready.contentBase64}` });
              }}
            />
          </label>
          <Button
            type="primary"
            size="large"
            icon={<CheckOutlined />}
            disabled={!photo}
            loading={step.isPending}
            onClick={() => photo && run({ kind: 'delivered', name: photo.name, contentBase64: photo.contentBase64 }, () => setPhoto(null))}
            data-testid="courier-delivered"
          >
            {t('delivery.actions.confirmDelivered')}
          </Button>
        </>
      ) : null}
      <Button size="large" danger icon={<CloseCircleOutlined />} onClick={() => setReasonFor('failed')} data-testid="courier-failed">
        {t('delivery.actions.failed')}
      </Button>
      <Button size="large" icon={<RollbackOutlined />} onClick={() => setReasonFor('returned')} data-testid="courier-returned">
        {t('delivery.actions.returned')}
      </Button>
      <ReasonModal
        kind={reasonFor ?? 'failed'}
        open={reasonFor !== null}
        pending={step.isPending}
        onClose={() => setReasonFor(null)}
        onSubmit={(reason) => run({ kind: reasonFor!, reason }, () => setReasonFor(null))}
      />
    </div>
  );
}

function OrderDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const q = useDeliveryOrder(id);
  return (
    <div className="courier" data-testid="courier-detail">
      <Button type="link" icon={<LeftOutlined />} onClick={() => navigate('/deliveries')} style={{ paddingLeft: 0, minHeight: 44 }} data-testid="courier-back">
        {t('delivery.actions.back')}
      </Button>
      {q.isPending ? (
        <Skeleton active />
      ) : q.isError ? (
        <Alert type="error" showIcon title={errorLines(q.error).join('；')} />
      ) : (
        <Card className="courier__card">
          <div className="courier__card-head">
            <span className="courier__name" data-testid="courier-person">
              {q.data.person.name}
            </span>
            <DeliveryStatusTag status={q.data.status} />
          </div>
          <div className="courier__section">
            <div className="courier__section-title">{t('delivery.fields.address')}</div>
            <div className="courier__address" data-testid="courier-address">
              {q.data.address}
            </div>
            {q.data.phone ? (
              <span className="courier__phone">
                <TelLink phone={q.data.phone} testId="courier-phone" />
              </span>
            ) : null}
          </div>
          <div className="courier__section">
            <div className="courier__section-title">{t('delivery.fields.drugs')}</div>
            {q.data.lines.map((l, i) => (
              <div key={i} className="courier__drug" data-testid="courier-drug">
                <div>
                  <div className="courier__drug-name">
                    {l.drugName} {l.strength}
                  </div>
                  <div className="courier__meta">{t('delivery.fields.batch', { batch: l.batchNo, expiry: l.expiryDate })}</div>
                </div>
                <strong style={{ whiteSpace: 'nowrap' }}>{t('delivery.fields.packs', { count: l.quantity })}</strong>
              </div>
            ))}
          </div>
          <div className="courier__meta courier__section">
            {t('delivery.fields.prescriptionNo')} {q.data.prescriptionNo} · {q.data.institution.name}
          </div>
          <Actions order={q.data} />
          <div className="courier__section">
            <div className="courier__section-title">{t('delivery.hints.track')}</div>
            <OrderSteps order={q.data} />
          </div>
        </Card>
      )}
    </div>
  );
}

export default function CourierPage() {
  const me = useMe();
  if (!me.data) return null;
  return (
    <Routes>
      <Route index element={<OrderList />} />
      <Route path=":id" element={<OrderDetail />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
