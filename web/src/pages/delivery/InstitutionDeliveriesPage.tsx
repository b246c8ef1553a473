// 送药到家 (/delivery-orders): the fill institution's pharmacist. The approved prescriptions the patients
// chose home delivery for (the counter's queue, fill place 'delivery'): 下配送单 dispenses, settles and
// orders to the county's provider in one step (one idempotency key per order, kept for a retry; the
// provider chosen when several serve the county). Below, the institution's orders by status, each with its
// steps; the pharmacist may do one of the two rechecks (复核).
import { ReloadOutlined, SafetyCertificateOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Modal, Segmented, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, yuan } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { type FillQueueItem, newHandOverKey, useFillQueue } from '../../components/pharmacy/api.ts';
import { type DeliveryOrder, type ListFilter, useCounterProviders, useDeliveryOrders, useDeliveryStep, useOrderDelivery } from '../../components/delivery/api.ts';
import { DeliveryStatusTag, OrderSteps } from '../../components/delivery/DeliverySteps.tsx';
import '../../components/delivery/delivery.css';

function OrderButton({ rx }: { rx: FillQueueItem }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const providers = useCounterProviders();
  const order = useOrderDelivery(rx.id);
  const key = useRef(newHandOverKey()); // one per order: a retry after a lost answer sends the same
  const [choosing, setChoosing] = useState(false);
  const [providerId, setProviderId] = useState<string | undefined>();
  const send = (chosen?: string) =>
    order.mutate(
      { idempotencyKey: key.current, ...(chosen ? { providerId: chosen } : {}) },
      {
        onSuccess: (r) => {
          message.success(t('delivery.hints.ordered', { no: r.order.prescriptionNo }));
          setChoosing(false);
        },
        onError: (e) => message.error(errorLines(e).join('；')),
      },
    );
  const several = (providers.data?.length ?? 0) > 1;
  return (
    <>
      <Button
        type="primary"
        icon={<SendOutlined />}
        loading={order.isPending}
        disabled={providers.data?.length === 0}
        onClick={() => (several ? setChoosing(true) : send(providers.data?.[0]?.id))}
        data-testid="delivery-order-create"
      >
        {t('delivery.actions.order')}
      </Button>
      <Modal
        open={choosing}
        title={t('delivery.hints.chooseProvider')}
        onCancel={() => setChoosing(false)}
        onOk={() => providerId && send(providerId)}
        okButtonProps={{ disabled: !providerId, loading: order.isPending }}
        okText={t('delivery.actions.order')}
        cancelText={t('common.cancel')}
      >
        <Select
          style={{ width: '100%' }}
          value={providerId}
          onChange={setProviderId}
          placeholder={t('delivery.hints.chooseProvider')}
          options={(providers.data ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.code}）` }))}
          data-testid="delivery-order-provider"
        />
      </Modal>
    </>
  );
}

function RecheckButton({ order }: { order: DeliveryOrder }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const step = useDeliveryStep(order.id);
  if (order.status !== 'ordered') return null;
  return (
    <Button
      size="small"
      icon={<SafetyCertificateOutlined />}
      disabled={order.recheckedByMe}
      loading={step.isPending}
      onClick={() => step.mutate({ kind: 'recheck' }, { onSuccess: () => message.success(t('delivery.actions.recheckDone')), onError: (e) => message.error(errorLines(e).join('；')) })}
      data-testid="delivery-recheck"
    >
      {order.recheckedByMe ? t('delivery.actions.recheckDone') : t('delivery.actions.recheck')}
    </Button>
  );
}

export default function InstitutionDeliveriesPage() {
  const { t } = useTranslation();
  const queue = useFillQueue();
  const [filter, setFilter] = useState<ListFilter>('open');
  const orders = useDeliveryOrders(filter);
  const providers = useCounterProviders();
  const toOrder = useMemo(() => (queue.data?.items ?? []).filter((r) => r.fillPlace === 'delivery'), [queue.data]);

  const queueColumns: TableColumnsType<FillQueueItem> = [
    { title: t('delivery.fields.prescriptionNo'), dataIndex: 'prescriptionNo', render: (v: string) => <span className="mono">{v}</span> },
    { title: t('delivery.institution.person'), render: (_, r) => `${r.personName} · ${r.idNumber}` },
    { title: t('delivery.fields.address'), dataIndex: 'deliveryAddress' },
    { title: t('delivery.institution.days'), dataIndex: 'daysSupply', width: 90 },
    { title: t('delivery.institution.approvedAt'), dataIndex: 'approvedAt', render: (v: string | null) => formatDateTime(v), width: 160 },
    { title: t('common.actions'), width: 140, render: (_, r) => <OrderButton rx={r} /> },
  ];
  const orderColumns: TableColumnsType<DeliveryOrder> = [
    { title: t('delivery.institution.status'), dataIndex: 'status', width: 110, render: (_, o) => <DeliveryStatusTag status={o.status} /> },
    { title: t('delivery.institution.person'), render: (_, o) => o.person.name, width: 110 },
    { title: t('delivery.fields.address'), dataIndex: 'address', width: 240 },
    { title: t('delivery.institution.drugs'), render: (_, o) => o.lines.map((l) => `${l.drugName} × ${l.quantity}`).join('、'), width: 200 },
    { title: t('delivery.fields.provider'), render: (_, o) => o.provider.name, width: 170 },
    { title: t('delivery.fields.rechecks'), width: 130, render: (_, o) => o.rechecks.map((r) => r.name).join('、') || t('common.none') },
    { title: t('delivery.institution.amount'), width: 100, render: (_, o) => yuan(o.claim.amountFen) },
    { title: t('delivery.institution.createdAt'), width: 150, render: (_, o) => formatDateTime(o.createdAt) },
    { title: t('common.actions'), width: 120, render: (_, o) => <RecheckButton order={o} /> },
  ];
  const counts = orders.data?.counts;

  return (
    <div className="page-stack" data-testid="institution-deliveries">
      <Card
        title={
          <Typography.Title level={4} className="page-title">
            {t('delivery.institution.queue')}
          </Typography.Title>
        }
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} loading={queue.isFetching}>
            {t('delivery.actions.refresh')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('delivery.hints.queueHint')}</Typography.Paragraph>
        {providers.data?.length === 0 ? <Alert type="warning" showIcon title={t('delivery.hints.noProvider')} style={{ marginBottom: 12 }} /> : null}
        {queue.isError ? <Alert type="error" showIcon title={errorLines(queue.error).join('；')} /> : null}
        <Table<FillQueueItem> rowKey="id" size="middle" columns={queueColumns} dataSource={toOrder} loading={queue.isPending} pagination={false} data-testid="delivery-queue" />
      </Card>
      <Card
        title={
          <Typography.Title level={4} className="page-title">
            {t('delivery.institution.orders')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Segmented<ListFilter>
              value={filter}
              onChange={setFilter}
              options={(['open', 'ordered', 'rechecked', 'out_for_delivery', 'delivered', 'failed', 'returned', 'all'] as ListFilter[]).map((f) => ({
                value: f,
                label: `${f === 'open' || f === 'all' ? t(`delivery.filter.${f}`) : t(`delivery.status.${f}`)}${counts && f !== 'open' && f !== 'all' ? ` ${counts[f]}` : ''}`,
              }))}
              data-testid="delivery-filter"
            />
            <Button icon={<ReloadOutlined />} onClick={() => void orders.refetch()} loading={orders.isFetching} aria-label={t('delivery.actions.refresh')} />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('delivery.hints.ordersHint')}</Typography.Paragraph>
        {orders.isError ? <Alert type="error" showIcon title={errorLines(orders.error).join('；')} /> : null}
        <Table<DeliveryOrder>
          rowKey="id"
          size="middle"
          columns={orderColumns}
          dataSource={orders.data?.items ?? []}
          loading={orders.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (o) => <OrderSteps order={o} /> }}
          data-testid="delivery-orders"
        />
      </Card>
    </div>
  );
}
