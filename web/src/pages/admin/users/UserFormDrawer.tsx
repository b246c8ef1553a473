// 新建用户 / 编辑用户 in a drawer: username (new accounts only), name, role and the scope that role works
// in. Editing sends the name and, when the role or scope changed, the new scope (the user's sessions
// end). Every problem the server names lands at its field, in the user's language.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api.ts';
import { applyServerErrors } from '../../../formErrors.ts';
import type { Role, User } from '../../../types.ts';
import ScopeFields from './ScopeFields.tsx';
import { problemLines, withFields } from './problems.ts';
import { type AdminUser, type ScopeValues, fixedInstitutionOf, rolesManagedBy, sameScope, scopeBody, scopeOf } from './types.ts';

export type UserFormTarget = { mode: 'create' } | { mode: 'edit'; user: AdminUser };

interface Values extends ScopeValues {
  username?: string;
  displayName: string;
}

export type UserFormResult =
  | { mode: 'create'; user: AdminUser; temporaryPassword: string }
  | { mode: 'edit'; user: AdminUser; changed: boolean };

const USERNAME = /^[a-z0-9_.-]{3,40}$/;

/** Give it a new `key` for each opening. */
export default function UserFormDrawer({ target, me, onClose }: { target: UserFormTarget | null; me: User; onClose: (result?: UserFormResult) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const role = Form.useWatch('role', form) as Role | undefined;
  const editing = target?.mode === 'edit' ? target.user : null;
  const fixedInstitution = fixedInstitutionOf(me);
  const roles = rolesManagedBy(me);
  // an institution administrator's institution is not a field: it is theirs
  const scopeFrom = (v: ScopeValues): ScopeValues =>
    scopeBody({ ...v, institutionId: fixedInstitution && (v.role === 'pharmacist' || v.role === 'institution_admin') ? fixedInstitution.id : v.institutionId });
  const all = Form.useWatch([], form) as Values | undefined;
  const scopeChanged = editing && all?.role ? !sameScope(scopeOf(editing), scopeFrom(all)) : false;

  const save = useMutation({
    mutationFn: async (v: Values): Promise<UserFormResult> => {
      const scope = scopeFrom(v);
      const displayName = v.displayName.trim();
      if (!editing) {
        const created = await api<{ user: AdminUser; temporaryPassword: string }>('/api/admin/users', {
          method: 'POST',
          body: { username: (v.username ?? '').trim(), displayName, ...scope },
        });
        return { mode: 'create', ...created };
      }
      const body: { displayName?: string; scope?: ScopeValues } = {};
      if (displayName !== editing.displayName) body.displayName = displayName;
      if (!sameScope(scopeOf(editing), scope)) body.scope = scope;
      if (!body.displayName && !body.scope) return { mode: 'edit', user: editing, changed: false };
      const user = await api<AdminUser>(`/api/admin/users/${editing.id}`, { method: 'PATCH', body });
      return { mode: 'edit', user, changed: true };
    },
    meta: { silent: true },
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: ['admin', 'users'] });
      onClose(result);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.problem.errors?.length) setAlert(applyServerErrors(form, withFields(error)).unplaced);
      else setAlert(problemLines(error));
    },
  });

  const initialValues: Partial<Values> = editing
    ? { displayName: editing.displayName, username: editing.username, ...scopeOf(editing) }
    : { role: roles.length === 1 ? roles[0] : undefined };

  return (
    <Drawer
      open={target !== null}
      size={520}
      title={editing ? t('accounts.editTitle', { name: editing.displayName }) : t('accounts.createTitle')}
      onClose={() => onClose()}
      destroyOnHidden
      data-testid="user-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={() => onClose()}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="user-submit">
            {editing ? t('accounts.save') : t('accounts.createSubmit')}
          </Button>
        </Space>
      }
    >
      {alert.length ? <Alert type="error" showIcon className="form-alert" title={alert.join('；')} data-testid="user-form-alert" style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => {
          setAlert([]);
          save.mutate(v);
        }}
        onValuesChange={(changed: Partial<Values>) => {
          if ('role' in changed) {
            // a new role carries a scope of its own: start it afresh
            form.setFieldsValue({ teamId: undefined, practitionerId: undefined, institutionId: undefined, regionCode: undefined, personId: undefined });
          }
        }}
      >
        <Form.Item
          name="username"
          label={t('accounts.fields.username')}
          extra={editing ? t('accounts.help.usernameFixed') : t('accounts.help.username')}
          rules={
            editing
              ? []
              : [
                  { required: true, whitespace: true, message: t('accounts.validation.usernameRequired') },
                  { pattern: USERNAME, message: t('accounts.validation.usernamePattern') },
                ]
          }
        >
          <Input className="mono" autoComplete="off" disabled={!!editing} maxLength={40} placeholder={t('accounts.placeholders.username')} data-testid="user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('accounts.fields.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('accounts.validation.displayNameRequired') },
            { max: 50, message: t('accounts.validation.displayNameLength') },
          ]}
        >
          <Input maxLength={50} autoComplete="off" data-testid="user-display-name-input" />
        </Form.Item>
        <Form.Item
          name="role"
          label={t('accounts.fields.role')}
          rules={[{ required: true, message: t('accounts.validation.roleRequired') }]}
          extra={editing && editing.id === me.id ? t('accounts.help.ownRole') : undefined}
        >
          <Select
            options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            placeholder={t('accounts.placeholders.role')}
            disabled={!!editing && editing.id === me.id}
            data-testid="user-role-select"
          />
        </Form.Item>
        <ScopeFields form={form} role={role} fixedInstitution={fixedInstitution} editing={editing} />
        {scopeChanged ? <Alert type="warning" showIcon title={t('accounts.scopeChangeNote')} data-testid="scope-change-note" /> : null}
      </Form>
    </Drawer>
  );
}
