// 医务人员: an institution's practitioners (doctors, nurses, public-health workers, pharmacists) with
// their practising certificate numbers (执业证书编号, unique) and the teams they serve on; register,
// edit, and remove one nothing refers to (a team's leader or member, a contract's doctor stays).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import FilterBar from '../../components/FilterBar.tsx';
import { api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { pageOf, serverPagination, useUrlState } from '../../hooks/urlState.ts';
import { LICENCE_PATTERN, type Paged, type Practitioner, type Profession, PROFESSIONS, actionErrors, placeErrors, seesAllInstitutions } from './directory.ts';
import { InstitutionPicker, ProfessionText } from './parts.tsx';
import './admin.css';

const PAGE_SIZE = 20;

interface Values {
  name: string;
  profession: Profession;
  licenseNo: string;
  institutionId?: string;
}

function PractitionerModal({ open, editing, institutionId, pickInstitution, onClose }: { open: boolean; editing: Practitioner | null; institutionId?: string; pickInstitution: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);

  useEffect(() => {
    if (!open) return;
    setAlert([]);
    form.resetFields();
    form.setFieldsValue(editing ? { name: editing.name, profession: editing.profession, licenseNo: editing.licenseNo, institutionId: editing.institution.id } : { institutionId });
  }, [open, editing, institutionId, form]);

  const save = useMutation({
    mutationFn: (v: Values) => {
      const body = { name: v.name.trim(), profession: v.profession, licenseNo: v.licenseNo.trim().toUpperCase(), institutionId: v.institutionId ?? institutionId };
      if (!editing) return api<Practitioner>('/api/admin/practitioners', { method: 'POST', body });
      const was: Record<string, string> = { name: editing.name, profession: editing.profession, licenseNo: editing.licenseNo, institutionId: editing.institution.id };
      return api<Practitioner>(`/api/admin/practitioners/${editing.id}`, { method: 'PATCH', body: Object.fromEntries(Object.entries(body).filter(([k, v2]) => v2 !== undefined && was[k] !== v2)) });
    },
    meta: { silent: true },
    onSuccess: (p) => {
      void client.invalidateQueries({ queryKey: ['admin', 'practitioners'] });
      void client.invalidateQueries({ queryKey: ['admin', 'team-candidates'] });
      void message.success(t(editing ? 'directory.practitioners.saved' : 'directory.practitioners.created', { name: p.name }));
      onClose();
    },
    onError: (error) => setAlert(placeErrors(form, error)),
  });

  const required = { required: true, message: t('directory.validation.required') };
  return (
    <Modal
      open={open}
      title={editing ? t('directory.practitioners.editTitle', { name: editing.name }) : t('directory.practitioners.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('directory.common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'practitioner-submit' } as React.ComponentProps<typeof Button>}
      destroyOnHidden
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {pickInstitution ? (
          <Form.Item name="institutionId" label={t('directory.practitioners.fields.institution')} rules={[required]}>
            <InstitutionPicker testId="practitioner-institution" />
          </Form.Item>
        ) : null}
        <Form.Item name="name" label={t('directory.practitioners.fields.name')} rules={[{ ...required, whitespace: true }]}>
          <Input maxLength={50} data-testid="practitioner-name" />
        </Form.Item>
        <Form.Item name="profession" label={t('directory.practitioners.fields.profession')} rules={[required]}>
          <Select options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} data-testid="practitioner-profession" />
        </Form.Item>
        <Form.Item name="licenseNo" label={t('directory.practitioners.fields.licenseNo')} extra={t('directory.practitioners.licenceHint')}
          rules={[required, { pattern: LICENCE_PATTERN, message: t('directory.rules.licence_format') }]}>
          <Input maxLength={18} className="mono" data-testid="practitioner-licence" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function PractitionersPage() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const client = useQueryClient();
  const me = useMe();
  const [params, update] = useUrlState();
  const all = me.data ? seesAllInstitutions(me.data.role) : false;
  const institutionId = all ? (params.get('institution') ?? undefined) : (me.data?.scope.id ?? undefined);
  const profession = (params.get('profession') as Profession | null) ?? undefined;
  const q = params.get('q') ?? '';
  const page = pageOf(params);
  const [modalState, setModal] = useState<{ editing: Practitioner | null } | null>(null);

  const list = useQuery({
    queryKey: ['admin', 'practitioners', institutionId, profession, q, page],
    queryFn: ({ signal }) =>
      api<Paged<Practitioner>>('/api/admin/practitioners', { query: { institutionId, profession, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal }),
    enabled: !!me.data,
    placeholderData: (prev) => prev,
  });

  const remove = useMutation({
    mutationFn: (p: Practitioner) => api<void>(`/api/admin/practitioners/${p.id}`, { method: 'DELETE' }),
    meta: { silent: true },
    onSuccess: (_r, p) => {
      void client.invalidateQueries({ queryKey: ['admin', 'practitioners'] });
      void message.success(t('directory.practitioners.deleted', { name: p.name }));
    },
    onError: (error, p) => void modal.error({ title: t('directory.practitioners.notDeleted', { name: p.name }), content: actionErrors(error).join('；') }),
  });

  const columns: TableColumnsType<Practitioner> = [
    {
      title: t('directory.practitioners.fields.name'),
      key: 'name',
      render: (_, p) => (
        <Typography.Link strong onClick={() => setModal({ editing: p })} data-testid="practitioner-edit">
          {p.name}
        </Typography.Link>
      ),
    },
    { title: t('directory.practitioners.fields.profession'), key: 'profession', render: (_, p) => <ProfessionText profession={p.profession} /> },
    { title: t('directory.practitioners.fields.licenseNo'), dataIndex: 'licenseNo', render: (v: string) => <span className="mono">{v}</span> },
    ...(all ? [{ title: t('directory.practitioners.fields.institution'), key: 'institution', render: (_: unknown, p: Practitioner) => p.institution.name }] : []),
    {
      title: t('directory.practitioners.fields.teams'),
      key: 'teams',
      render: (_, p) =>
        p.teams || p.leadsTeams ? `${t('directory.practitioners.teamCount', { count: p.teams })}${p.leadsTeams ? t('directory.practitioners.leadsCount', { count: p.leadsTeams }) : ''}` : '—',
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, p) => (
        <Popconfirm title={t('directory.practitioners.deleteConfirm', { name: p.name })} okText={t('directory.common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutate(p)}>
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('directory.common.delete')} data-testid="practitioner-delete" />
        </Popconfirm>
      ),
    },
  ];

  return (
    <div className="page-stack" data-testid="practitioners-page">
      <Card title={t('directory.practitioners.title')} extra={all ? null : <Typography.Text type="secondary">{me.data?.scope.name}</Typography.Text>}>
        <Typography.Paragraph type="secondary">{t('directory.practitioners.hint')}</Typography.Paragraph>
        <FilterBar searchKey="q" query={q} onQuery={(v) => update({ q: v })} total={list.data?.total} placeholder={t('directory.practitioners.searchPlaceholder')} testId="practitioner-filter">
          {all ? (
            <InstitutionPicker value={institutionId ?? null} onChange={(id) => update({ institution: id })} allowClear placeholder={t('directory.teams.allInstitutions')} className="admin-institution-filter" testId="practitioner-filter-institution" />
          ) : null}
          <Select allowClear placeholder={t('directory.practitioners.fields.profession')} value={profession} onChange={(v?: string) => update({ profession: v })}
            options={PROFESSIONS.map((p) => ({ value: p, label: t(`profession.${p}`) }))} className="filter-select" data-testid="practitioner-filter-profession" />
          <Button icon={<PlusOutlined />} onClick={() => setModal({ editing: null })} data-testid="practitioner-add">
            {t('directory.practitioners.add')}
          </Button>
        </FilterBar>
        <Table<Practitioner>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={serverPagination(list.data?.total, page, PAGE_SIZE, update)}
          onRow={(p) => ({ 'data-testid': 'practitioner-row', 'data-licence': p.licenseNo }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      <PractitionerModal
        open={modalState !== null}
        editing={modalState?.editing ?? null}
        institutionId={institutionId}
        pickInstitution={all && (!!modalState?.editing || !institutionId)}
        onClose={() => setModal(null)}
      />
    </div>
  );
}
