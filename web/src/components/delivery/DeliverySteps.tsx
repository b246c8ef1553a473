// 配送进度: each step of a home delivery — ordered, the two rechecks, out for delivery, delivered with
// the signed receipt's photo, or failed / returned with the reason — with who and when. Give it an order
// id, a prescription id (all of its orders), or the orders themselves (GET /api/me/deliveries,
// GET /api/prescriptions/:id/delivery-orders).
import { Alert, Empty, Image, Skeleton, Space, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';
import { formatDateTime } from '../../format.ts';
import { errorLines } from '../../notify.ts';
import { type DeliveryEvent, type DeliveryOrder, type DeliveryStatus, type DeliveryStep, proofUrl, useDeliveryOrder, usePrescriptionDeliveries } from './api.ts';
import './delivery.css';

const COLOR: Record<DeliveryStatus, string> = { ordered: 'gold', rechecked: 'blue', out_for_delivery: 'processing', delivered: 'green', failed: 'red', returned: 'volcano' };
const PATH: DeliveryStep[] = ['ordered', 'recheck1', 'recheck2', 'out_for_delivery', 'delivered'];

export function DeliveryStatusTag({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLOR[status]} data-testid="delivery-status" data-status={status}>
      {t(`delivery.status.${status}`)}
    </Tag>
  );
}

/** The steps of one order: those done with who and when, the ones still ahead greyed. */
export function OrderSteps({ order, showProof = true }: { order: DeliveryOrder; showProof?: boolean }) {
  const { t } = useTranslation();
  const done = new Map<DeliveryStep, DeliveryEvent>(order.events.map((e) => [e.step, e]));
  const ended = order.status === 'failed' || order.status === 'returned';
  const path: DeliveryStep[] = ended ? [...PATH.filter((s) => done.has(s)), order.status as DeliveryStep] : PATH;
  const current = path.findIndex((s) => !done.has(s));
  const who = (e: DeliveryEvent) => [e.by, e.role === 'pharmacist' || e.role === 'delivery' ? t(`delivery.roleHint.${e.role}`) : null].filter(Boolean).join(' · ');
  return (
    <div className="delivery-steps" data-testid="delivery-steps" data-order={order.id}>
      <Steps
        orientation="vertical"
        size="small"
        current={current === -1 ? path.length - 1 : current}
        status={ended ? 'error' : current === -1 ? 'finish' : 'process'}
        items={path.map((s) => {
          const e = done.get(s);
          return {
            title: t(`delivery.step.${s}`),
            status: e ? (s === 'failed' || s === 'returned' ? 'error' : 'finish') : undefined,
            content: e ? (
              <div className="delivery-steps__detail" data-testid={`delivery-step-${s}`}>
                <Typography.Text type="secondary">
                  {formatDateTime(e.at)} {who(e)}
                </Typography.Text>
                {e.reason ? <div className="delivery-steps__reason">{e.reason}</div> : null}
              </div>
            ) : undefined,
          };
        })}
      />
      {showProof && order.proof ? (
        <div className="delivery-steps__proof">
          <Typography.Text type="secondary">{t('delivery.fields.proof')}</Typography.Text>
          <Image src={proofUrl(order.id)} alt={t('delivery.fields.proof')} width={160} data-testid="delivery-proof" />
        </div>
      ) : null}
    </div>
  );
}

function Orders({ orders }: { orders: DeliveryOrder[] }) {
  const { t } = useTranslation();
  if (!orders.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('delivery.hints.noSteps')} />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {orders.map((o) => (
        <div key={o.id} className="delivery-steps__order">
          <Space size={8} wrap className="delivery-steps__head">
            <DeliveryStatusTag status={o.status} />
            <Typography.Text type="secondary">{o.provider.name}</Typography.Text>
          </Space>
          <OrderSteps order={o} />
        </div>
      ))}
    </Space>
  );
}

type Props = { orderId: string } | { prescriptionId: string } | { orders: DeliveryOrder[] };

/** The delivery progress of an order, of a prescription's orders, or of the orders given. */
export default function DeliverySteps(props: Props) {
  const one = useDeliveryOrder('orderId' in props ? props.orderId : null);
  const ofRx = usePrescriptionDeliveries('prescriptionId' in props ? props.prescriptionId : null);
  if ('orders' in props) return <Orders orders={props.orders} />;
  const q = 'orderId' in props ? one : ofRx;
  if (q.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  // a reader of the prescription outside the order's scope (another institution's pharmacist) sees nothing
  if (q.isError) return q.error instanceof ApiError && q.error.status === 403 ? null : <Alert type="error" showIcon title={errorLines(q.error).join('；')} />;
  return <Orders orders={'orderId' in props ? [one.data!] : (ofRx.data ?? [])} />;
}
