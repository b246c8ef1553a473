// 医疗机构 (system administrator): the directory's institutions — filter by county, level, kind, name
// or code; add and edit one (level and kind together, county and town, medical community, upper
// institution, designation, address and phone; the code only while nothing refers to it) — and the
// medical communities (医共体) of each county.
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Drawer, Form, Input, Modal, Segmented, Select, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import FilterBar from '../../components/FilterBar.tsx';
import { api } from '../../api.ts';
import { pageOf, serverPagination, useUrlState } from '../../hooks/urlState.ts';
import {
  type AdminInstitution,
  CODE_PATTERN,
  type Kind,
  KINDS,
  KINDS_OF_LEVEL,
  type Level,
  LEVELS,
  type MedicalCommunity,
  PHONE_PATTERN,
  type Paged,
  placeErrors,
  useCommunities,
  useRegions,
} from './directory.ts';
import { InstitutionPicker, KindText, LevelTag } from './parts.tsx';
import './admin.css';

const PAGE_SIZE = 20;

interface Values {
  code: string;
  name: string;
  level: Level;
  kind: Kind;
  countyCode: string;
  regionCode: string;
  medicalCommunityId?: string | null;
  upperInstitutionId?: string | null;
  designated: boolean;
  address?: string;
  phone?: string;
}

function useCounties() {
  const regions = useRegions();
  const all = regions.data ?? [];
  return {
    counties: all.filter((r) => r.level === 'county'),
    townsOf: (county?: string) => all.filter((r) => r.level === 'town' && r.parentCode === county),
    cityOf: (county: string) => all.find((r) => r.code === county.slice(0, 4))?.name ?? '',
  };
}

/** Add (`editing` null) or edit an institution; every server refusal shown at its field. */
function InstitutionDrawer({ open, editing, onClose }: { open: boolean; editing: AdminInstitution | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const { counties, townsOf, cityOf } = useCounties();
  const communities = useCommunities(open);
  const level = Form.useWatch('level', form);
  const county = Form.useWatch('countyCode', form);
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    if (!open) return;
    setAlert([]);
    form.resetFields();
    if (editing)
      form.setFieldsValue({
        code: editing.code, name: editing.name, level: editing.level, kind: editing.kind, countyCode: editing.county.code, regionCode: editing.town.code,
        medicalCommunityId: editing.medicalCommunity?.id ?? null, upperInstitutionId: editing.upperInstitution?.id ?? null,
        designated: editing.designated, address: editing.address ?? undefined, phone: editing.phone ?? undefined,
      });
  }, [open, editing, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = {
        ...v,
        code: v.code.trim().toUpperCase(),
        medicalCommunityId: v.medicalCommunityId ?? null,
        upperInstitutionId: v.upperInstitutionId ?? null,
        address: v.address?.trim() || null,
        phone: v.phone?.trim() || null,
      };
      if (!editing) return api<AdminInstitution>('/api/admin/institutions', { method: 'POST', body });
      // only what changed: an institution in use keeps its code, and saying it again is no change
      const changed = Object.fromEntries(Object.entries(body).filter(([k, val]) => {
        const was: Record<string, unknown> = {
          code: editing.code, name: editing.name, level: editing.level, kind: editing.kind, countyCode: editing.county.code, regionCode: editing.town.code,
          medicalCommunityId: editing.medicalCommunity?.id ?? null, upperInstitutionId: editing.upperInstitution?.id ?? null, designated: editing.designated, address: editing.address, phone: editing.phone,
        };
        return was[k] !== val;
      }));
      return api<AdminInstitution>(`/api/admin/institutions/${editing.id}`, { method: 'PATCH', body: changed });
    },
    meta: { silent: true },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['admin', 'institutions'] });
      void message.success(t(editing ? 'directory.institutions.saved' : 'directory.institutions.created', { name: saved.name }));
      onClose();
    },
    onError: (error) => setAlert(placeErrors(form, error)),
  });

  const kindOptions = (level ? KINDS_OF_LEVEL[level as Level] : KINDS).map((k) => ({ value: k, label: t(`directory.kind.${k}`) }));
  const countyCommunities = (communities.data ?? []).filter((c) => c.county.code === county);
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      title={editing ? t('directory.institutions.editTitle', { name: editing.name }) : t('directory.institutions.add')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="institution-submit">
            {t('directory.common.save')}
          </Button>
        </Space>
      }
      data-testid="institution-drawer"
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
      <Form<Values> form={form} layout="vertical" initialValues={{ designated: true, level: 'grassroots' }} onFinish={(v) => save.mutate(v)} requiredMark>
        <div className="admin-form-grid">
          <Form.Item name="code" label={t('directory.institutions.fields.code')} extra={t('directory.institutions.codeHint')}
            rules={[{ required: true, message: t('directory.validation.required') }, { pattern: CODE_PATTERN, message: t('directory.rules.code_format') }]}>
            <Input maxLength={30} disabled={!!editing && editing.practitioners + editing.teams > 0} data-testid="institution-code" />
          </Form.Item>
          <Form.Item name="name" label={t('directory.institutions.fields.name')} rules={[{ required: true, whitespace: true, message: t('directory.validation.required') }, { min: 2, message: t('directory.validation.min2') }]}>
            <Input maxLength={100} data-testid="institution-name" />
          </Form.Item>
          <Form.Item name="level" label={t('directory.institutions.fields.level')} rules={[{ required: true, message: t('directory.validation.required') }]}>
            <Select
              options={LEVELS.map((l) => ({ value: l, label: t(`directory.level.${l}`) }))}
              onChange={(l: Level) => { if (kind && !KINDS_OF_LEVEL[l].includes(kind)) form.setFieldValue('kind', KINDS_OF_LEVEL[l].length === 1 ? KINDS_OF_LEVEL[l][0] : undefined); }}
              data-testid="institution-level"
            />
          </Form.Item>
          <Form.Item name="kind" label={t('directory.institutions.fields.kind')} rules={[{ required: true, message: t('directory.validation.required') }]}>
            <Select options={kindOptions} data-testid="institution-kind" />
          </Form.Item>
          <Form.Item name="countyCode" label={t('directory.institutions.fields.county')} rules={[{ required: true, message: t('directory.validation.required') }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={counties.map((c) => ({ value: c.code, label: `${cityOf(c.code)} ${c.name}` }))}
              onChange={() => form.setFieldsValue({ regionCode: undefined, medicalCommunityId: null })}
              data-testid="institution-county"
            />
          </Form.Item>
          <Form.Item name="regionCode" label={t('directory.institutions.fields.town')} rules={[{ required: true, message: t('directory.validation.required') }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} disabled={!county} options={townsOf(county).map((r) => ({ value: r.code, label: r.name }))} data-testid="institution-town" />
          </Form.Item>
          <Form.Item name="medicalCommunityId" label={t('directory.institutions.fields.community')}>
            <Select allowClear disabled={!county} options={countyCommunities.map((c) => ({ value: c.id, label: c.name }))} data-testid="institution-community" />
          </Form.Item>
          <Form.Item name="upperInstitutionId" label={t('directory.institutions.fields.upper')} extra={t('directory.institutions.upperHint')}>
            <InstitutionPicker allowClear exclude={editing?.id} testId="institution-upper" />
          </Form.Item>
          <Form.Item name="address" label={t('directory.institutions.fields.address')} className="span-2" rules={[{ min: 2, message: t('directory.validation.min2') }]}>
            <Input maxLength={200} data-testid="institution-address" />
          </Form.Item>
          <Form.Item name="phone" label={t('directory.institutions.fields.phone')} extra={t('directory.validation.phoneHint')} rules={[{ pattern: PHONE_PATTERN, message: t('directory.rules.phone_format') }]}>
            <Input maxLength={20} data-testid="institution-phone" />
          </Form.Item>
          <Form.Item name="designated" label={t('directory.institutions.fields.designated')} valuePropName="checked">
            <Switch checkedChildren={t('directory.institutions.designatedYes')} unCheckedChildren={t('directory.institutions.designatedNo')} data-testid="institution-designated" />
          </Form.Item>
        </div>
      </Form>
    </Drawer>
  );
}

function InstitutionList() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const { counties, cityOf } = useCounties();
  const countyCode = params.get('county') ?? undefined;
  const level = (params.get('level') as Level | null) ?? undefined;
  const kind = (params.get('kind') as Kind | null) ?? undefined;
  const q = params.get('q') ?? '';
  const page = pageOf(params);
  const [drawer, setDrawer] = useState<{ editing: AdminInstitution | null } | null>(null);

  const list = useQuery({
    queryKey: ['admin', 'institutions', 'list', countyCode, level, kind, q, page],
    queryFn: ({ signal }) =>
      api<Paged<AdminInstitution>>('/api/admin/institutions', { query: { countyCode, level, kind, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal }),
    placeholderData: (prev) => prev,
  });

  const columns: TableColumnsType<AdminInstitution> = [
    { title: t('directory.institutions.fields.code'), dataIndex: 'code', render: (v: string) => <span className="mono">{v}</span> },
    {
      title: t('directory.institutions.fields.name'),
      key: 'name',
      render: (_, i) => (
        <div>
          <Typography.Link strong onClick={() => setDrawer({ editing: i })} data-testid="institution-edit">
            {i.name}
          </Typography.Link>
          {i.designated ? null : <Tag className="cell-tag">{t('directory.institutions.notDesignated')}</Tag>}
          <div className="cell-sub">{i.address ?? ''}</div>
        </div>
      ),
    },
    { title: t('directory.institutions.fields.level'), key: 'level', render: (_, i) => (<div><LevelTag level={i.level} /><div className="cell-sub"><KindText kind={i.kind} /></div></div>) },
    { title: t('directory.institutions.fields.area'), key: 'area', render: (_, i) => (<div>{i.county.name}<div className="cell-sub">{i.town.name}</div></div>) },
    { title: t('directory.institutions.fields.community'), key: 'community', render: (_, i) => (<div>{i.medicalCommunity?.name ?? '—'}<div className="cell-sub">{i.upperInstitution ? t('directory.institutions.under', { name: i.upperInstitution.name }) : ''}</div></div>) },
    { title: t('directory.institutions.fields.phone'), dataIndex: 'phone', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    { title: t('directory.institutions.fields.staff'), key: 'staff', align: 'right', render: (_, i) => t('directory.institutions.staffCount', { practitioners: i.practitioners, teams: i.teams }) },
  ];

  return (
    <>
      <FilterBar searchKey="q" query={q} onQuery={(v) => update({ q: v })} total={list.data?.total} placeholder={t('directory.institutions.searchPlaceholder')} testId="institution-filter">
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('directory.institutions.fields.county')}
          value={countyCode}
          onChange={(v?: string) => update({ county: v })}
          options={counties.map((c) => ({ value: c.code, label: `${cityOf(c.code)} ${c.name}` }))}
          className="filter-select"
          popupMatchSelectWidth={false}
          data-testid="institution-filter-county"
        />
        <Select allowClear placeholder={t('directory.institutions.fields.level')} value={level} onChange={(v?: string) => update({ level: v })}
          options={LEVELS.map((l) => ({ value: l, label: t(`directory.level.${l}`) }))} className="filter-select" data-testid="institution-filter-level" />
        <Select allowClear placeholder={t('directory.institutions.fields.kind')} value={kind} onChange={(v?: string) => update({ kind: v })}
          options={KINDS.map((k) => ({ value: k, label: t(`directory.kind.${k}`) }))} className="filter-select" popupMatchSelectWidth={false} data-testid="institution-filter-kind" />
        <Button icon={<PlusOutlined />} onClick={() => setDrawer({ editing: null })} data-testid="institution-add">
          {t('directory.institutions.add')}
        </Button>
      </FilterBar>
      <Table<AdminInstitution>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={serverPagination(list.data?.total, page, PAGE_SIZE, update)}
        onRow={(i) => ({ 'data-testid': 'institution-row', 'data-code': i.code }) as React.HTMLAttributes<HTMLElement>}
      />
      <InstitutionDrawer open={drawer !== null} editing={drawer?.editing ?? null} onClose={() => setDrawer(null)} />
    </>
  );
}

function CommunityList() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const communities = useCommunities();
  const { counties, cityOf } = useCounties();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ name: string; countyCode: string }>();
  const [alert, setAlert] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (v: { name: string; countyCode: string }) => api<MedicalCommunity>('/api/admin/medical-communities', { method: 'POST', body: { ...v, name: v.name.trim() } }),
    meta: { silent: true },
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: ['admin', 'communities'] });
      void message.success(t('directory.communities.created', { name: c.name }));
      setOpen(false);
    },
    onError: (error) => setAlert(placeErrors(form, error)),
  });
  const columns: TableColumnsType<MedicalCommunity> = [
    { title: t('directory.communities.fields.name'), dataIndex: 'name' },
    { title: t('directory.communities.fields.county'), key: 'county', render: (_, c) => `${cityOf(c.county.code)} ${c.county.name}` },
    { title: t('directory.communities.fields.leadHospital'), dataIndex: 'leadHospital', render: (v: string | null) => v ?? '—' },
    { title: t('directory.communities.fields.institutions'), dataIndex: 'institutions', align: 'right' },
  ];
  return (
    <>
      <div className="filter-bar">
        <Button icon={<PlusOutlined />} onClick={() => { setAlert([]); form.resetFields(); setOpen(true); }} data-testid="community-add">
          {t('directory.communities.add')}
        </Button>
      </div>
      <Table<MedicalCommunity> rowKey="id" size="small" columns={columns} dataSource={communities.data ?? []} loading={communities.isFetching} pagination={false} />
      <Modal open={open} title={t('directory.communities.add')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={create.isPending}
        okText={t('directory.common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} /> : null}
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item name="countyCode" label={t('directory.communities.fields.county')} rules={[{ required: true, message: t('directory.validation.required') }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={counties.map((c) => ({ value: c.code, label: `${cityOf(c.code)} ${c.name}` }))} />
          </Form.Item>
          <Form.Item name="name" label={t('directory.communities.fields.name')} rules={[{ required: true, whitespace: true, message: t('directory.validation.required') }, { min: 2, message: t('directory.validation.min2') }]}>
            <Input maxLength={50} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

export default function InstitutionsPage() {
  const { t } = useTranslation();
  const [params, update] = useUrlState();
  const tab = params.get('tab') === 'communities' ? 'communities' : 'institutions';
  return (
    <div className="page-stack" data-testid="institutions-page">
      <Card
        title={
          <Space size={12}>
            <span>{t('directory.institutions.title')}</span>
            <Segmented
              size="small"
              value={tab}
              onChange={(v) => update({ tab: v === 'institutions' ? null : String(v), q: null, county: null, level: null, kind: null })}
              options={[{ value: 'institutions', label: t('directory.institutions.tab') }, { value: 'communities', label: t('directory.communities.tab') }]}
              data-testid="institutions-tab"
            />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t(tab === 'institutions' ? 'directory.institutions.hint' : 'directory.communities.hint')}</Typography.Paragraph>
        {tab === 'institutions' ? <InstitutionList /> : <CommunityList />}
      </Card>
    </div>
  );
}
