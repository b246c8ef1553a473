// 家庭医生团队: an institution's family-doctor teams with their leader, "3+X" members and contracted
// residents; set up a team and edit it with the member editor — a GP (全科医生), a nurse and a
// public-health worker of the institution are required, specialists (the "X") optional and may come
// from the upper hospital; the leader is one of the team's doctors. The system administrator works at
// any grassroots institution, an institution's administrator at their own.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Drawer, Empty, Form, Input, Popconfirm, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { pageOf, serverPagination, useUrlState } from '../../hooks/urlState.ts';
import {
  type AdminTeam,
  type Candidate,
  MEMBER_ROLES,
  type MemberRole,
  PHONE_PATTERN,
  type Paged,
  PROFESSION_FOR_ROLE,
  actionErrors,
  placeErrors,
  seesAllInstitutions,
  useInstitution,
} from './directory.ts';
import FilterBar from '../../components/FilterBar.tsx';
import { InstitutionPicker, RoleTag } from './parts.tsx';
import './admin.css';

const PAGE_SIZE = 20;

type Values = { institutionId?: string; name: string; phone?: string; leaderId?: string } & Record<MemberRole, string[]>;

/** Who may fill a role: the profession it needs; the GP, nurse and public-health worker from the institution itself. */
const fits = (role: MemberRole, c: Candidate) => c.profession === PROFESSION_FOR_ROLE[role] && (role === 'specialist' || c.ownInstitution);

function useCandidates(institutionId: string | undefined) {
  return useQuery({
    queryKey: ['admin', 'team-candidates', institutionId],
    queryFn: ({ signal }) => api<Candidate[]>('/api/admin/teams/candidates', { query: { institutionId }, signal }),
    enabled: !!institutionId,
  });
}

/** Set up (`team` null) or edit a team with its members; the server's refusals shown at the role they concern. */
function TeamDrawer({ open, team, institutionId: fixedInstitution, institutionName, onClose }: { open: boolean; team: AdminTeam | null; institutionId?: string; institutionName?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const chosenInstitution = Form.useWatch('institutionId', form);
  const institutionId = team?.institution.id ?? fixedInstitution ?? chosenInstitution;
  const candidates = useCandidates(open ? institutionId : undefined);
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;

  useEffect(() => {
    if (!open) return;
    setAlert([]);
    form.resetFields();
    if (team) {
      const byRole = (role: MemberRole) => team.members.filter((m) => m.role === role).map((m) => m.practitionerId);
      form.setFieldsValue({ name: team.name, phone: team.phone ?? undefined, leaderId: team.leader.id, gp: byRole('gp'), nurse: byRole('nurse'), public_health: byRole('public_health'), specialist: byRole('specialist') });
    } else form.setFieldsValue({ institutionId: fixedInstitution });
  }, [open, team, fixedInstitution, form]);

  const list = candidates.data ?? [];
  const byId = useMemo(() => new Map(list.map((c) => [c.id, c])), [list]);
  const label = (c: Candidate) => (c.ownInstitution ? `${c.name} · ${c.licenseNo}` : `${c.name}（${c.institution.name}）`);
  const optionsFor = (role: MemberRole) => list.filter((c) => fits(role, c)).map((c) => ({ value: c.id, label: label(c) }));
  // the leader is one of the team's doctors at its own institution
  const leaderOptions = [...(watched?.gp ?? []), ...(watched?.specialist ?? [])]
    .map((id) => byId.get(id))
    .filter((c): c is Candidate => !!c && c.ownInstitution && c.profession === 'doctor')
    .filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i)
    .map((c) => ({ value: c.id, label: c.name }));

  useEffect(() => {
    const leader = form.getFieldValue('leaderId') as string | undefined;
    if (!open || (leader && leaderOptions.some((o) => o.value === leader))) return;
    form.setFieldValue('leaderId', leaderOptions[0]?.value);
  }, [open, leaderOptions.map((o) => o.value).join(), form]); // eslint-disable-line react-hooks/exhaustive-deps

  // members in role order; the index of each in the request names the role it was chosen under
  const membersOf = (v: Values) => MEMBER_ROLES.flatMap((role) => (v[role] ?? []).map((practitionerId) => ({ practitionerId, role })));
  const sentRoles = useRef<MemberRole[]>([]);
  const fieldOf = (field: string, rule: string): NamePath | null => {
    const at = /^body\.members\.(\d+)/.exec(field);
    if (at) return [sentRoles.current[Number(at[1])] ?? 'gp'];
    const required = /^(gp|nurse|public_health)_required$/.exec(rule);
    if (required) return [required[1]];
    if (rule === 'leader_on_team' || field === 'body.leaderId') return ['leaderId'];
    return null;
  };

  const save = useMutation({
    mutationFn: async (v: Values) => {
      const members = membersOf(v);
      sentRoles.current = members.map((m) => m.role);
      const phone = v.phone?.trim() || null;
      if (!team) return api<AdminTeam>('/api/admin/teams', { method: 'POST', body: { name: v.name.trim(), institutionId, leaderId: v.leaderId, phone, members } });
      const changed = { ...(v.name.trim() !== team.name ? { name: v.name.trim() } : {}), ...(phone !== team.phone ? { phone } : {}) };
      if (Object.keys(changed).length) await api<AdminTeam>(`/api/admin/teams/${team.id}`, { method: 'PATCH', body: changed });
      return api<AdminTeam>(`/api/admin/teams/${team.id}/members`, { method: 'PUT', body: { members, leaderId: v.leaderId } });
    },
    meta: { silent: true },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['admin', 'teams'] });
      void message.success(t(team ? 'directory.teams.saved' : 'directory.teams.created', { name: saved.name }));
      onClose();
    },
    onError: (error) => {
      void client.invalidateQueries({ queryKey: ['admin', 'teams'] });
      setAlert(placeErrors(form, error, fieldOf));
    },
  });

  const required = { required: true, message: t('directory.validation.required') };
  const roleField = (role: MemberRole) => (
    <Form.Item
      key={role}
      name={role}
      label={t(`directory.teams.roles.${role}`)}
      extra={t(`directory.teams.roleHints.${role}`)}
      rules={role === 'specialist' ? [] : [{ required: true, type: 'array', min: 1, message: t(`directory.rules.${role}_required`) }]}
    >
      <Select mode="multiple" allowClear showSearch={{ optionFilterProp: 'label' }} options={optionsFor(role)} loading={candidates.isFetching} disabled={!institutionId}
        placeholder={t('directory.teams.pick')} data-testid={`team-${role}`} />
    </Form.Item>
  );

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={720}
      title={team ? t('directory.teams.editTitle', { name: team.name }) : t('directory.teams.add')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="team-submit">
            {t('directory.common.save')}
          </Button>
        </Space>
      }
      data-testid="team-drawer"
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="form-alert" /> : null}
      <Form<Values> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {team || fixedInstitution ? (
          <Form.Item label={t('directory.teams.fields.institution')}>
            <Typography.Text strong data-testid="team-institution-name">{team?.institution.name ?? institutionName}</Typography.Text>
          </Form.Item>
        ) : null}
        {!team && !fixedInstitution ? (
          <Form.Item name="institutionId" label={t('directory.teams.fields.institution')} extra={t('directory.teams.institutionHint')} rules={[required]}>
            <InstitutionPicker level="grassroots" onChange={() => form.setFieldsValue({ gp: [], nurse: [], public_health: [], specialist: [], leaderId: undefined })} testId="team-institution" />
          </Form.Item>
        ) : null}
        <div className="admin-form-grid">
          <Form.Item name="name" label={t('directory.teams.fields.name')} rules={[required, { min: 2, message: t('directory.validation.min2') }]}>
            <Input maxLength={50} placeholder={t('directory.teams.namePlaceholder')} data-testid="team-name" />
          </Form.Item>
          <Form.Item name="phone" label={t('directory.teams.fields.phone')} extra={t('directory.validation.phoneHint')} rules={[{ pattern: PHONE_PATTERN, message: t('directory.rules.phone_format') }]}>
            <Input maxLength={20} data-testid="team-phone" />
          </Form.Item>
        </div>
        <Typography.Title level={5}>{t('directory.teams.membersTitle')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('directory.teams.membersHint')}</Typography.Paragraph>
        {MEMBER_ROLES.map(roleField)}
        <Form.Item name="leaderId" label={t('directory.teams.fields.leader')} extra={t('directory.teams.leaderHint')} rules={[{ required: true, message: t('directory.rules.leader_doctor_of_institution') }]}>
          <Select options={leaderOptions} placeholder={t('directory.teams.pickLeader')} data-testid="team-leader" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

export default function TeamsPage() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const client = useQueryClient();
  const me = useMe();
  const [params, update] = useUrlState();
  const all = me.data ? seesAllInstitutions(me.data.role) : false;
  const institutionId = all ? (params.get('institution') ?? undefined) : (me.data?.scope.id ?? undefined);
  const q = params.get('q') ?? '';
  const page = pageOf(params);
  const [drawer, setDrawer] = useState<{ team: AdminTeam | null } | null>(null);
  const chosen = useInstitution(all ? (institutionId ?? null) : null, all);

  const list = useQuery({
    queryKey: ['admin', 'teams', institutionId, q, page],
    queryFn: ({ signal }) => api<Paged<AdminTeam>>('/api/admin/teams', { query: { institutionId, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, signal }),
    enabled: !!me.data,
    placeholderData: (prev) => prev,
  });

  const remove = useMutation({
    mutationFn: (team: AdminTeam) => api<void>(`/api/admin/teams/${team.id}`, { method: 'DELETE' }),
    meta: { silent: true },
    onSuccess: (_r, team) => {
      void client.invalidateQueries({ queryKey: ['admin', 'teams'] });
      void message.success(t('directory.teams.deleted', { name: team.name }));
    },
    onError: (error, team) => void modal.error({ title: t('directory.teams.notDeleted', { name: team.name }), content: actionErrors(error).join('；') }),
  });

  const columns: TableColumnsType<AdminTeam> = [
    {
      title: t('directory.teams.fields.name'),
      key: 'name',
      render: (_, team) => (
        <div>
          <Typography.Link strong onClick={() => setDrawer({ team })} data-testid="team-edit">
            {team.name}
          </Typography.Link>
          <div className="cell-sub mono">{team.phone ?? ''}</div>
        </div>
      ),
    },
    ...(all ? [{ title: t('directory.teams.fields.institution'), key: 'institution', render: (_: unknown, team: AdminTeam) => team.institution.name }] : []),
    { title: t('directory.teams.fields.leader'), key: 'leader', render: (_, team) => team.leader.name },
    {
      title: t('directory.teams.fields.members'),
      key: 'members',
      render: (_, team) => (
        <div className="member-cell" data-testid="team-members">
          {team.members.map((m) => (
            <RoleTag key={`${m.practitionerId}-${m.role}`} role={m.role}>
              {m.name}
              {m.institution.id !== team.institution.id ? `（${m.institution.name}）` : ''}
            </RoleTag>
          ))}
        </div>
      ),
    },
    { title: t('directory.teams.fields.contracted'), dataIndex: 'contracted', align: 'right', render: (n: number) => <span data-testid="team-contracted">{n}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, team) => (
        <Popconfirm title={t('directory.teams.deleteConfirm', { name: team.name })} okText={t('directory.common.delete')} cancelText={t('common.cancel')} onConfirm={() => remove.mutate(team)}>
          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('directory.common.delete')} data-testid="team-delete" />
        </Popconfirm>
      ),
    },
  ];

  return (
    <div className="page-stack" data-testid="teams-page">
      <Card title={t('directory.teams.title')} extra={all ? null : <Typography.Text type="secondary">{me.data?.scope.name}</Typography.Text>}>
        <Typography.Paragraph type="secondary">{t('directory.teams.hint')}</Typography.Paragraph>
        <FilterBar searchKey="q" query={q} onQuery={(v) => update({ q: v })} total={list.data?.total} placeholder={t('directory.teams.searchPlaceholder')} testId="team-filter">
          {all ? (
            <InstitutionPicker value={institutionId ?? null} onChange={(id) => update({ institution: id })} level="grassroots" allowClear placeholder={t('directory.teams.allInstitutions')} className="admin-institution-filter" testId="team-filter-institution" />
          ) : null}
          <Button icon={<PlusOutlined />} onClick={() => setDrawer({ team: null })} data-testid="team-add">
            {t('directory.teams.add')}
          </Button>
        </FilterBar>
        <Table<AdminTeam>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={serverPagination(list.data?.total, page, PAGE_SIZE, update)}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('directory.teams.empty')} /> }}
          onRow={(team) => ({ 'data-testid': 'team-row', 'data-team-name': team.name }) as React.HTMLAttributes<HTMLElement>}
        />
      </Card>
      <TeamDrawer
        open={drawer !== null}
        team={drawer?.team ?? null}
        institutionId={all ? institutionId : (me.data?.scope.id ?? undefined)}
        institutionName={all ? chosen.data?.name : me.data?.scope.name}
        onClose={() => setDrawer(null)}
      />
    </div>
  );
}
