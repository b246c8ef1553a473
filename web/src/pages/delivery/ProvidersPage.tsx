// 配送企业 (/admin/delivery-providers): the system administrator's list of the delivery providers and the
// county each serves (GET /api/admin/delivery-providers), and a new one (POST). Their staff accounts are
// made in 用户管理 with the role 配送人员.
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, type ButtonProps, Card, Form, Input, Modal, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { applyServerErrors } from '../../formErrors.ts';
import { errorLines } from '../../notify.ts';
import { useRegions } from '../admin/directory.ts';
import { type DeliveryProvider, useAdminProviders } from '../../components/delivery/api.ts';

interface NewProvider {
  code: string;
  name: string;
  countyCode: string;
  phone?: string;
}

export default function ProvidersPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const list = useAdminProviders();
  const regions = useRegions();
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm<NewProvider>();
  const create = useMutation({
    mutationFn: (v: NewProvider) => api<DeliveryProvider>('/api/admin/delivery-providers', { body: { ...v, phone: v.phone?.trim() || null } }),
    onSuccess: (p) => {
      message.success(t('delivery.providers.created', { name: p.name }));
      setAdding(false);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['delivery', 'providers'] });
    },
    onError: (e) => {
      const { unplaced } = applyServerErrors(form, e);
      if (unplaced.length) message.error(unplaced.join('；'));
    },
  });
  const columns: TableColumnsType<DeliveryProvider> = [
    { title: t('delivery.providers.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span>, width: 180 },
    { title: t('delivery.providers.name'), dataIndex: 'name' },
    { title: t('delivery.providers.county'), render: (_, p) => `${p.county.name}（${p.county.code}）` },
    { title: t('delivery.providers.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? t('common.none') },
    { title: t('delivery.providers.staff'), dataIndex: 'staff', width: 110 },
  ];
  const counties = (regions.data ?? []).filter((r) => r.level === 'county').map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }));
  const required = [{ required: true, message: t('delivery.providers.required') }];
  return (
    <div className="page-stack">
      <Card
        title={
          <Typography.Title level={4} className="page-title">
            {t('delivery.providers.title')}
          </Typography.Title>
        }
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="provider-add">
            {t('delivery.providers.add')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">{t('delivery.providers.hint')}</Typography.Paragraph>
        {list.isError ? <Alert type="error" showIcon title={errorLines(list.error).join('；')} /> : null}
        <Table<DeliveryProvider> rowKey="id" size="middle" columns={columns} dataSource={list.data ?? []} loading={list.isPending} pagination={false} data-testid="providers-table" />
      </Card>
      <Modal
        open={adding}
        title={t('delivery.providers.add')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending, 'data-testid': 'provider-submit' } as ButtonProps}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)} requiredMark={false}>
          <Form.Item name="code" label={t('delivery.providers.code')} extra={t('delivery.providers.codeHint')} rules={[...required, { pattern: /^[A-Za-z0-9-]{2,20}$/, message: t('delivery.providers.codeHint') }]}>
            <Input maxLength={20} className="mono" data-testid="provider-code" />
          </Form.Item>
          <Form.Item name="name" label={t('delivery.providers.name')} rules={required}>
            <Input maxLength={80} data-testid="provider-name" />
          </Form.Item>
          <Form.Item name="countyCode" label={t('delivery.providers.county')} rules={required}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={counties} loading={regions.isPending} data-testid="provider-county" />
          </Form.Item>
          <Form.Item name="phone" label={t('delivery.providers.phone')}>
            <Input maxLength={20} data-testid="provider-phone" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
