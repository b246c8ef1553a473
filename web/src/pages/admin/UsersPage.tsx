// 用户管理 (system administrator; an institution's administrator for its own institution): the
// accounts with their role, scope and status, filtered by role, status and a search, paged by the
// server; 新建用户 and 编辑 in a drawer whose scope fields follow the role; 停用 / 启用 and 重置密码
// after a confirmation. A new account's and a reset's one-time password is shown once.
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Empty, Input, Select, Space, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { type HTMLAttributes, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useMe } from '../../auth.ts';
import { formatDateTime } from '../../format.ts';
import { usePagedList } from '../../hooks/lists.ts';
import { pageOf, serverPagination, useUrlState } from '../../hooks/urlState.ts';
import type { Role, User } from '../../types.ts';
import OneTimePasswordModal, { type OneTimePassword } from './users/OneTimePasswordModal.tsx';
import UserFormDrawer, { type UserFormTarget } from './users/UserFormDrawer.tsx';
import { problemLines } from './users/problems.ts';
import { type AdminUser, type UserStatus, fixedInstitutionOf, rolesManagedBy, statusesOf } from './users/types.ts';

const PAGE_SIZE = 20;
const STATUS_FILTERS = ['active', 'disabled'] as const;
const STATUS_COLOR: Record<UserStatus, string> = { active: 'green', disabled: 'default', mustChange: 'gold', locked: 'orange' };
const ROLE_COLOR: Record<Role, string> = {
  family_doctor: 'green',
  pharmacist: 'purple',
  insurance_reviewer: 'blue',
  analyst: 'gold',
  institution_admin: 'cyan',
  system_admin: 'magenta',
  patient: 'default',
  delivery: 'volcano',
  specialist: 'geekblue',
};

function StatusTags({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const statuses = statusesOf(user);
  return (
    <Space size={[4, 4]} wrap data-testid="user-status" data-status={statuses.join(' ')}>
      {statuses.map((s) => (
        <Tooltip
          key={s}
          title={
            s === 'disabled'
              ? t('accounts.statusSince', { at: formatDateTime(user.disabledAt) })
              : s === 'locked'
                ? t('accounts.lockedUntil', { at: formatDateTime(user.lockedUntil) })
                : undefined
          }
        >
          <Tag color={STATUS_COLOR[s]} variant={s === 'disabled' ? 'filled' : undefined}>
            {t(`accounts.status.${s}`)}
          </Tag>
        </Tooltip>
      ))}
    </Space>
  );
}

/** Where the account works: a team (and its institution), an institution, a county or city, a person. */
function ScopeCell({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const line = (main: string, sub?: string | null) => (
    <div data-testid="user-scope-cell">
      <div>{main}</div>
      {sub ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {sub}
        </Typography.Text>
      ) : null}
    </div>
  );
  switch (user.role) {
    case 'family_doctor':
      return line(user.team?.name ?? t('common.none'), [user.institution?.name, user.practitioner ? t('accounts.asPractitioner', { name: user.practitioner.name }) : null].filter(Boolean).join(' · '));
    case 'pharmacist':
    case 'institution_admin':
    case 'specialist':
      return line(user.institution?.name ?? t('common.none'), user.practitioner ? t('accounts.asPractitioner', { name: user.practitioner.name }) : null);
    case 'insurance_reviewer':
    case 'analyst':
      return user.region ? line(user.region.name, user.region.code) : line(t('common.none'));
    case 'patient':
      return line(t('accounts.scope.person'));
    case 'system_admin':
      return line(t('accounts.scope.all'));
    case 'delivery':
      return line(user.deliveryProvider?.name ?? t('common.none'), t('scopeKinds.provider'));
  }
}

export default function UsersPage() {
  const me = useMe();
  return me.data ? <UsersScreen me={me.data} /> : null;
}

function UsersScreen({ me }: { me: User }) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const client = useQueryClient();
  const [params, update] = useUrlState();
  const roles = rolesManagedBy(me);
  const role = roles.includes(params.get('role') as Role) ? (params.get('role') as Role) : undefined;
  const status = (STATUS_FILTERS as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as 'active' | 'disabled') : undefined;
  const q = (params.get('q') ?? '').trim();
  const page = pageOf(params);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const [formTarget, setFormTarget] = useState<UserFormTarget | null>(null);
  const [openings, setOpenings] = useState(0);
  const [oneTime, setOneTime] = useState<OneTimePassword | null>(null);

  const users = usePagedList<AdminUser>('/api/admin/users', ['admin', 'users'], { role, status, q: q || undefined }, page, PAGE_SIZE);
  const fixedInstitution = fixedInstitutionOf(me);

  const openForm = (target: UserFormTarget) => {
    setOpenings((n) => n + 1);
    setFormTarget(target);
  };

  const act = useMutation({
    mutationFn: async ({ user, action }: { user: AdminUser; action: 'disable' | 'enable' | 'reset' }) => {
      if (action === 'reset') return api<{ temporaryPassword: string }>(`/api/admin/users/${user.id}/reset-password`, { method: 'POST' });
      return api<AdminUser>(`/api/admin/users/${user.id}/${action}`, { method: 'POST' });
    },
    meta: { silent: true },
    onSuccess: (answer, { user, action }) => {
      void client.invalidateQueries({ queryKey: ['admin', 'users'] });
      if (action === 'reset' && 'temporaryPassword' in answer) {
        setOneTime({ username: user.username, displayName: user.displayName, password: answer.temporaryPassword, reason: 'reset' });
      } else void message.success(t(action === 'disable' ? 'accounts.done.disabled' : 'accounts.done.enabled', { name: user.displayName }));
    },
    onError: (error) => void message.error(problemLines(error).join('；')),
  });

  const confirm = (user: AdminUser, action: 'disable' | 'enable' | 'reset') => {
    const key = action === 'reset' ? 'reset' : action;
    modal.confirm({
      title: t(`accounts.confirm.${key}Title`, { name: user.displayName, username: user.username }),
      content: t(`accounts.confirm.${key}Body`),
      okText: t(`accounts.confirm.${key}Ok`),
      okButtonProps: { danger: action !== 'enable', 'data-testid': 'confirm-ok' },
      cancelText: t('common.cancel'),
      onOk: () => act.mutateAsync({ user, action }).catch(() => undefined),
    });
  };

  const columns: TableColumnsType<AdminUser> = [
    {
      title: t('accounts.fields.username'),
      key: 'username',
      fixed: 'left',
      render: (_, u) => (
        <Space size={4}>
          <span className="mono" data-testid="user-username-cell">
            {u.username}
          </span>
          {u.id === me.id ? <Tag color="blue">{t('accounts.you')}</Tag> : null}
          {u.demo ? (
            <Tooltip title={t('accounts.demoHint')}>
              <Tag>{t('accounts.demo')}</Tag>
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    { title: t('accounts.fields.displayName'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('accounts.fields.role'),
      key: 'role',
      render: (_, u) => <Tag color={ROLE_COLOR[u.role]}>{t(`roles.${u.role}`)}</Tag>,
    },
    { title: t('accounts.fields.scope'), key: 'scope', render: (_, u) => <ScopeCell user={u} /> },
    { title: t('accounts.fields.status'), key: 'status', render: (_, u) => <StatusTags user={u} /> },
    {
      title: t('accounts.fields.createdAt'),
      key: 'createdAt',
      responsive: ['lg'],
      render: (_, u) => <span className="mono">{formatDateTime(u.createdAt)}</span>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, u) => {
        const self = u.id === me.id;
        return (
          <Space size={0} className="row-actions">
            <Button size="small" type="link" onClick={() => openForm({ mode: 'edit', user: u })} data-testid="user-edit">
              {t('accounts.actions.edit')}
            </Button>
            <Button size="small" type="link" onClick={() => confirm(u, 'reset')} data-testid="user-reset">
              {t('accounts.actions.resetPassword')}
            </Button>
            {u.disabledAt ? (
              <Button size="small" type="link" onClick={() => confirm(u, 'enable')} data-testid="user-enable">
                {t('accounts.actions.enable')}
              </Button>
            ) : (
              <Tooltip title={self ? t('serverRules.own_account') : undefined}>
                <Button size="small" type="link" danger disabled={self} onClick={() => confirm(u, 'disable')} data-testid="user-disable">
                  {t('accounts.actions.disable')}
                </Button>
              </Tooltip>
            )}
          </Space>
        );
      },
    },
  ];

  return (
    <div className="page-stack" data-testid="users-page">
      <Card>
        <div style={{ display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: 16, flexWrap: 'wrap' }}>
          <div style={{ minWidth: 0, flex: '1 1 320px' }}>
            <Typography.Title level={4} className="page-title">
              {t('accounts.title')}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {fixedInstitution ? t('accounts.institutionHint', { name: fixedInstitution.name }) : t('accounts.hint')}
            </Typography.Paragraph>
          </div>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openForm({ mode: 'create' })} data-testid="user-create">
            {t('accounts.create')}
          </Button>
        </div>
      </Card>
      <Card>
        <form
          className="filter-bar"
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: text.trim() });
          }}
        >
          <Select
            allowClear
            placeholder={t('accounts.fields.role')}
            value={role}
            onChange={(v) => update({ role: v })}
            options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            className="filter-select"
            data-testid="users-filter-role"
          />
          <Select
            allowClear
            placeholder={t('accounts.fields.status')}
            value={status}
            onChange={(v) => update({ status: v })}
            options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`accounts.status.${s}`) }))}
            className="filter-select"
            data-testid="users-filter-status"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('accounts.placeholders.search')}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              if (!e.target.value) update({ q: null });
            }}
            className="filter-search"
            maxLength={40}
            data-testid="users-filter-q"
          />
          <Button htmlType="submit" type="primary" data-testid="users-filter-submit">
            {t('common.search')}
          </Button>
          <Typography.Text type="secondary" className="filter-total" data-testid="users-total">
            {users.data ? t('common.total', { total: users.data.total }) : null}
          </Typography.Text>
        </form>
        <Table<AdminUser>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items ?? []}
          loading={users.isFetching}
          scroll={{ x: 'max-content' }}
          onRow={(u) => ({ 'data-testid': 'user-row', 'data-username': u.username }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: users.isError ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={problemLines(users.error).join('；')} />
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('accounts.empty')} />
            ),
          }}
          pagination={serverPagination(users.data?.total, page, PAGE_SIZE, update)}
        />
      </Card>

      <UserFormDrawer
        key={`user-form-${openings}`}
        target={formTarget}
        me={me}
        onClose={(result) => {
          setFormTarget(null);
          if (!result) return;
          if (result.mode === 'create') {
            setOneTime({ username: result.user.username, displayName: result.user.displayName, password: result.temporaryPassword, reason: 'created' });
          } else if (result.changed) void message.success(t('accounts.done.updated', { name: result.user.displayName }));
        }}
      />
      <OneTimePasswordModal value={oneTime} onClose={() => setOneTime(null)} />
    </div>
  );
}
