// 库存 (/stock): the institution's drug stock (备药) — per drug on hand, received, dispensed, expired and
// patient-days of stock with a warning under 30 days, its batches (批号, 有效期) expandable; 入库 of batches
// and 盘点 of one batch; and the grassroots stock rate (备药率) against the upper institution's list
// (≥ 70 %), with the missing drugs — "not applicable" for a pharmacy, which has no upper institution.
import { MinusCircleOutlined, PlusOutlined, ReloadOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, Modal, Progress, Row, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type HTMLAttributes, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyServerErrors } from '../../formErrors.ts';
import { drugName as drugLabel, toIsoDate } from '../../format.ts';
import { useCounterDrugs } from '../../components/counter/api.ts';
import {
  type StockBatch,
  type StockItem,
  hasRule,
  pharmacyErrorLines,
  useCountStock,
  useReceiveStock,
  useStock,
  useStockRate,
} from '../../components/pharmacy/api.ts';
import '../../components/pharmacy/pharmacy.css';

const itemName = (i: Pick<StockItem, 'drugName' | 'drugNameEn'>) => drugLabel({ genericNameZh: i.drugName, genericNameEn: i.drugNameEn });

export default function StockPage() {
  const { t } = useTranslation();
  const stock = useStock();
  const [receiving, setReceiving] = useState(false);
  const [counting, setCounting] = useState<{ item: StockItem; batch: StockBatch } | null>(null);
  const items = stock.data?.items ?? [];
  const lowDays = stock.data?.lowStockDays ?? 30;

  const columns: TableColumnsType<StockItem> = [
    {
      title: t('pharmacy.fields.drug'),
      key: 'drug',
      render: (_: unknown, i) => (
        <div>
          <Typography.Text strong>{itemName(i)}</Typography.Text> <span className="rx-muted">{i.strength}</span>
          <div className="rx-muted rx-small">
            <span className="mono">{i.drugCode}</span> · {t('pharmacy.stock.packOf', { size: i.packSize, unit: i.unit })}
            {i.chronic ? <Tag className="rx-tag-gap">{t('pharmacy.stock.chronic')}</Tag> : null}
          </div>
        </div>
      ),
    },
    { title: t('pharmacy.stock.onHand'), dataIndex: 'onHand', align: 'right', render: (n: number) => <strong data-testid="stock-on-hand">{n}</strong> },
    { title: t('pharmacy.stock.received'), dataIndex: 'received', align: 'right', render: (n: number) => <span data-testid="stock-received">{n}</span> },
    { title: t('pharmacy.stock.dispensed'), dataIndex: 'dispensed', align: 'right', render: (n: number) => <span data-testid="stock-dispensed">{n}</span> },
    { title: t('pharmacy.stock.adjusted'), dataIndex: 'adjusted', align: 'right', render: (n: number) => (n > 0 ? `+${n}` : n) },
    { title: t('pharmacy.stock.expired'), dataIndex: 'expired', align: 'right', render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
    { title: t('pharmacy.stock.patients'), dataIndex: 'patients', align: 'right' },
    {
      title: t('pharmacy.stock.patientDays'),
      key: 'days',
      align: 'right',
      render: (_: unknown, i) =>
        i.patientDays === null ? (
          <span className="rx-muted">{t('pharmacy.stock.noUse')}</span>
        ) : i.low ? (
          <Tag color="red" icon={<WarningOutlined />} data-testid="stock-low">
            {t('pharmacy.stock.daysLow', { days: i.patientDays, min: lowDays })}
          </Tag>
        ) : (
          <span>{t('rx.daysValue', { days: i.patientDays })}</span>
        ),
    },
  ];

  const batchColumns = (item: StockItem): TableColumnsType<StockBatch> => [
    { title: t('pharmacy.fields.batchNo'), dataIndex: 'batchNo', render: (b: string) => <span className="mono">{b}</span> },
    {
      title: t('pharmacy.fields.expiryDate'),
      dataIndex: 'expiryDate',
      render: (d: string, b) => (
        <span>
          <span className="mono">{d}</span> {b.expired ? <Tag color="red">{t('pharmacy.stock.expiredTag')}</Tag> : dayjs(d).diff(dayjs(), 'day') < 90 ? <Tag color="orange">{t('pharmacy.stock.expiresSoon')}</Tag> : null}
        </span>
      ),
    },
    { title: t('pharmacy.stock.received'), dataIndex: 'received', align: 'right' },
    { title: t('pharmacy.stock.onHand'), dataIndex: 'onHand', align: 'right', render: (n: number) => <span data-testid="batch-on-hand">{n}</span> },
    {
      title: '',
      key: 'count',
      align: 'right',
      render: (_: unknown, b) => (
        <Button size="small" onClick={() => setCounting({ item, batch: b })} data-testid="stock-count">
          {t('pharmacy.stock.count')}
        </Button>
      ),
    },
  ];

  return (
    <div className="page-stack rx-stock">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={17}>
          <Card
            title={
              <Typography.Title level={4} className="page-title">
                {t('pharmacy.stock.title')}
                {stock.data ? <span className="rx-muted rx-title-sub"> · {stock.data.institution.name}</span> : null}
              </Typography.Title>
            }
            extra={
              <Space>
                <Button icon={<ReloadOutlined />} onClick={() => void stock.refetch()} loading={stock.isFetching}>
                  {t('pharmacy.refresh')}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setReceiving(true)} data-testid="stock-receive">
                  {t('pharmacy.stock.receive')}
                </Button>
              </Space>
            }
          >
            <Typography.Paragraph type="secondary">{t('pharmacy.stock.hint', { days: lowDays })}</Typography.Paragraph>
            {stock.isError ? <Alert type="error" showIcon title={pharmacyErrorLines(stock.error).join('；')} /> : null}
            <Table<StockItem>
              rowKey="drugCode"
              size="middle"
              columns={columns}
              dataSource={items}
              loading={stock.isPending}
              pagination={items.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
              data-testid="stock-table"
              expandable={{
                expandedRowRender: (item) => (
                  <Table<StockBatch>
                    rowKey="batchNo"
                    size="small"
                    columns={batchColumns(item)}
                    dataSource={item.batches}
                    pagination={false}
                    onRow={(b) => ({ 'data-testid': 'stock-batch', 'data-batch-no': b.batchNo }) as HTMLAttributes<HTMLElement>}
                  />
                ),
                rowExpandable: (item) => item.batches.length > 0,
              }}
              onRow={(i) => ({ 'data-testid': 'stock-row', 'data-drug-code': i.drugCode, 'data-on-hand': i.onHand, 'data-low': i.low }) as HTMLAttributes<HTMLElement>}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pharmacy.stock.empty')} /> }}
            />
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <RateCard />
        </Col>
      </Row>
      <ReceiveModal open={receiving} onClose={() => setReceiving(false)} />
      <CountModal target={counting} onClose={() => setCounting(null)} />
    </div>
  );
}

function RateCard() {
  const { t } = useTranslation();
  const rate = useStockRate();
  const notApplicable = rate.isError && hasRule(rate.error, 'no_upper_institution');
  const r = rate.data;
  return (
    <Card title={t('pharmacy.rate.title')} data-testid="stock-rate" data-state={notApplicable ? 'not-applicable' : r ? 'ready' : rate.isError ? 'error' : 'loading'} loading={rate.isPending}>
      {notApplicable ? (
        <div data-testid="stock-rate-na">
          <Typography.Title level={5} className="rx-na">
            {t('pharmacy.rate.notApplicable')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('pharmacy.rate.notApplicableHint')}</Typography.Paragraph>
        </div>
      ) : rate.isError ? (
        <Alert type="error" showIcon title={pharmacyErrorLines(rate.error).join('；')} />
      ) : r ? (
        <div className="page-stack">
          <div className="rx-rate">
            <Progress
              type="dashboard"
              percent={r.rateBp === null ? 0 : r.rateBp / 100}
              format={() => (r.rateBp === null ? '—' : `${(r.rateBp / 100).toFixed(1)}%`)}
              status={r.meetsTarget === false ? 'exception' : r.meetsTarget ? 'success' : 'normal'}
              size={140}
            />
            <div data-testid="stock-rate-value" data-bp={r.rateBp ?? ''}>
              <div>{t('pharmacy.rate.target', { target: r.targetBp / 100 })}</div>
              <Tag color={r.meetsTarget ? 'green' : r.meetsTarget === false ? 'red' : 'default'}>
                {r.meetsTarget === null ? t('pharmacy.rate.noUpperStock') : r.meetsTarget ? t('pharmacy.rate.meets') : t('pharmacy.rate.below')}
              </Tag>
            </div>
          </div>
          <Typography.Text type="secondary">
            {t('pharmacy.rate.explain', { upper: r.upperInstitution.name, upperCount: r.upperCount, stocked: r.stockedCount })}
          </Typography.Text>
          {r.missing.length ? (
            <div>
              <Typography.Text strong>{t('pharmacy.rate.missing', { count: r.missing.length })}</Typography.Text>
              <ul className="rx-missing" data-testid="stock-rate-missing">
                {r.missing.map((m) => (
                  <li key={m.drugCode}>
                    {itemName(m)} <span className="mono rx-muted">{m.drugCode}</span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

interface ReceiveValues {
  lines: Array<{ drugCode?: string; batchNo?: string; expiryDate?: Dayjs; quantity?: number }>;
  note?: string;
}

function ReceiveModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ReceiveValues>();
  const drugs = useCounterDrugs();
  const receive = useReceiveStock();
  const [alert, setAlert] = useState<string[]>([]);
  const submit = async () => {
    let v: ReceiveValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setAlert([]);
    try {
      await receive.mutateAsync({
        lines: v.lines.map((l) => ({ drugCode: l.drugCode!, batchNo: l.batchNo!.trim(), expiryDate: toIsoDate(l.expiryDate)!, quantity: l.quantity! })),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      });
      void message.success(t('pharmacy.stock.received_ok', { count: v.lines.length }));
      onClose();
    } catch (error) {
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? pharmacyErrorLines(error) : []);
    }
  };
  return (
    <Modal
      open={open}
      width={920}
      title={t('pharmacy.stock.receiveTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('pharmacy.stock.receiveOk')}
      okButtonProps={{ 'data-testid': 'stock-receive-submit' }}
      confirmLoading={receive.isPending}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} className="rx-gap" data-testid="stock-receive-alert" /> : null}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ lines: [{}] }}>
        <Form.List name="lines">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Row key={field.key} gutter={8} align="top" data-testid="stock-receive-line">
                  <Col span={9}>
                    <Form.Item name={[field.name, 'drugCode']} label={field.name === 0 ? t('pharmacy.fields.drug') : undefined} rules={[{ required: true, message: t('rx.drugRequired') }]}>
                      <Select
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('rx.drugPlaceholder')}
                        loading={drugs.isPending}
                        options={(drugs.data ?? []).map((d) => ({ value: d.code, label: `${drugLabel(d)} ${d.strength} ${d.code}` }))}
                        data-testid="stock-receive-drug"
                      />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item
                      name={[field.name, 'batchNo']}
                      label={field.name === 0 ? t('pharmacy.fields.batchNo') : undefined}
                      rules={[
                        { required: true, whitespace: true, message: t('pharmacy.stock.batchRequired') },
                        { pattern: /^[A-Za-z0-9-]{1,30}$/, message: t('pharmacy.stock.batchPattern') },
                      ]}
                    >
                      <Input maxLength={30} data-testid="stock-receive-batch" />
                    </Form.Item>
                  </Col>
                  <Col span={5}>
                    <Form.Item name={[field.name, 'expiryDate']} label={field.name === 0 ? t('pharmacy.fields.expiryDate') : undefined} rules={[{ required: true, message: t('pharmacy.stock.expiryRequired') }]}>
                      <DatePicker style={{ width: '100%' }} data-testid="stock-receive-expiry" />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Form.Item name={[field.name, 'quantity']} label={field.name === 0 ? t('pharmacy.stock.packsIn') : undefined} rules={[{ required: true, message: t('pharmacy.stock.qtyRequired') }]}>
                      <InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} data-testid="stock-receive-qty" />
                    </Form.Item>
                  </Col>
                  <Col span={1} className={field.name === 0 ? 'rx-remove rx-remove--first' : 'rx-remove'}>
                    {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.delete', { defaultValue: '删除' })} /> : null}
                  </Col>
                </Row>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block className="rx-gap" data-testid="stock-receive-add">
                {t('pharmacy.stock.addLine')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.Item name="note" label={t('pharmacy.stock.note')}>
          <Input maxLength={200} placeholder={t('pharmacy.stock.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function CountModal({ target, onClose }: { target: { item: StockItem; batch: StockBatch } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ onHand: number; note: string }>();
  const count = useCountStock();
  const [alert, setAlert] = useState<string[]>([]);
  const submit = async () => {
    if (!target) return;
    let v: { onHand: number; note: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await count.mutateAsync({ drugCode: target.item.drugCode, batchNo: target.batch.batchNo, onHand: v.onHand, note: v.note.trim() });
      void message.success(t('pharmacy.stock.counted'));
      onClose();
    } catch (error) {
      const { unplaced } = applyServerErrors(form, error);
      setAlert(unplaced.length ? pharmacyErrorLines(error) : []);
    }
  };
  return (
    <Modal
      open={target !== null}
      title={target ? t('pharmacy.stock.countTitle', { drug: itemName(target.item), batch: target.batch.batchNo }) : null}
      onCancel={onClose}
      onOk={() => void submit()}
      okButtonProps={{ 'data-testid': 'stock-count-submit' }}
      confirmLoading={count.isPending}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} className="rx-gap" /> : null}
      {target ? (
        <Form form={form} layout="vertical" preserve={false} initialValues={{ onHand: target.batch.onHand }}>
          <Form.Item name="onHand" label={t('pharmacy.stock.counted_qty', { recorded: target.batch.onHand })} rules={[{ required: true, message: t('pharmacy.stock.qtyRequired') }]}>
            <InputNumber min={0} max={1000000} precision={0} style={{ width: 200 }} data-testid="stock-count-qty" />
          </Form.Item>
          <Form.Item name="note" label={t('pharmacy.stock.countNote')} rules={[{ required: true, whitespace: true, min: 2, message: t('pharmacy.stock.countNoteRequired') }]}>
            <Input maxLength={200} data-testid="stock-count-note" />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}
