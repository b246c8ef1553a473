// 修改密码: the current password, the new one twice, and the rules it must meet (at least 8
// characters, letters and digits, not the username, not the current one; src/engine/identity/password.ts)
// ticked as they are met. The server decides; its problems land at their fields in the user's language.
// `forced`: the account's password was set by an administrator (a new account, a reset) — the app shows
// nothing else until a new one is chosen (App.tsx), then refreshes the user and goes to the role's home.
import { CheckCircleFilled, CloseCircleOutlined, LockOutlined, LogoutOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { ME_KEY, useLogout, useMe } from '../auth.ts';
import LanguageSwitch from '../components/LanguageSwitch.tsx';
import { applyServerErrors } from '../formErrors.ts';
import type { User } from '../types.ts';
import { problemLines } from './admin/users/problems.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

const MIN_LENGTH = 8;

/** The rules the server applies, checked here only to tick them as the user types. */
function ruleStates(password: string, username: string, current: string) {
  return [
    { key: 'length', ok: [...password].length >= MIN_LENGTH },
    { key: 'letterDigit', ok: /[A-Za-z]/.test(password) && /[0-9]/.test(password) },
    { key: 'username', ok: password.length > 0 && !(username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) },
    { key: 'different', ok: password.length > 0 && password !== current },
  ] as const;
}

function PasswordForm({ user, forced }: { user: User; forced: boolean }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [alert, setAlert] = useState<string[]>([]);
  const newPassword = (Form.useWatch('newPassword', form) as string | undefined) ?? '';
  const currentPassword = (Form.useWatch('currentPassword', form) as string | undefined) ?? '';

  const save = useMutation({
    mutationFn: (v: Values) => api<void>('/api/auth/password', { method: 'POST', body: { currentPassword: v.currentPassword, newPassword: v.newPassword } }),
    meta: { silent: true },
    onSuccess: async () => {
      void message.success(t('accounts.password.changed'));
      await client.fetchQuery({
        queryKey: ME_KEY,
        queryFn: () => api<{ user: User }>('/api/auth/me').then((r) => r.user),
        staleTime: 0,
      });
      // '/' sends the role to its home (App.tsx); routes.tsx is not imported here, it imports this page
      if (forced) navigate('/', { replace: true });
      else form.resetFields();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.problem.errors?.length) setAlert(applyServerErrors(form, error).unplaced);
      else setAlert(problemLines(error));
    },
  });

  const rules = ruleStates(newPassword, user.username, currentPassword);
  return (
    <>
      {alert.length ? <Alert type="error" showIcon title={alert.join('；')} style={{ marginBottom: 16 }} data-testid="password-alert" /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => {
          setAlert([]);
          save.mutate(v);
        }}
      >
        {/* lets the browser's password manager tie the new password to the account */}
        <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
        <Form.Item
          name="currentPassword"
          label={t(forced ? 'accounts.password.currentForced' : 'accounts.password.current')}
          rules={[{ required: true, message: t('accounts.password.currentRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus data-testid="password-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('accounts.password.new')}
          rules={[{ required: true, message: t('accounts.password.newRequired') }]}
          extra={
            <div style={{ marginTop: 6 }} data-testid="password-rules">
              <Typography.Text type="secondary">{t('accounts.password.rulesTitle')}</Typography.Text>
              <ul style={{ listStyle: 'none', margin: '4px 0 0', padding: 0 }}>
                {rules.map((r) => (
                  <li key={r.key} data-testid="password-rule" data-rule={r.key} data-ok={r.ok}>
                    <Typography.Text type={r.ok ? 'success' : 'secondary'}>
                      {r.ok ? <CheckCircleFilled /> : <CloseCircleOutlined />} {t(`accounts.password.rules.${r.key}`, { username: user.username })}
                    </Typography.Text>
                  </li>
                ))}
              </ul>
            </div>
          }
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label={t('accounts.password.repeat')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('accounts.password.repeatRequired') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                !value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('accounts.password.mismatch'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" data-testid="password-repeat" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block={forced} loading={save.isPending} data-testid="password-submit">
          {t('accounts.password.submit')}
        </Button>
      </Form>
    </>
  );
}

/** At first sign-in or after a reset: only this, on its own screen, with a way out (sign out). */
function ForcedChange({ user }: { user: User }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <div className="login-page" data-testid="change-password-page" data-forced="true">
      <div className="login-page__lang">
        <LanguageSwitch />
      </div>
      <div className="login-page__inner">
        <div className="login-brand">
          <div className="login-brand__logo">
            <img src="/favicon.svg" alt="" width={40} height={40} />
            <span>{t('app.shortName')}</span>
          </div>
        </div>
        <Card className="login-card">
          <Typography.Title level={4} className="login-card__title">
            {t('accounts.password.forcedTitle')}
          </Typography.Title>
          <Typography.Paragraph>
            <span data-testid="user-display-name">{t('accounts.password.greeting', { name: user.displayName })}</span>
            <Typography.Text type="secondary" className="mono">
              {' '}
              ({user.username} · {t(`roles.${user.role}`)})
            </Typography.Text>
          </Typography.Paragraph>
          <Alert type="info" showIcon title={t('accounts.password.forcedHint')} style={{ marginBottom: 20 }} />
          <PasswordForm user={user} forced />
          <Button
            type="link"
            icon={<LogoutOutlined />}
            block
            style={{ marginTop: 8 }}
            loading={logout.isPending}
            onClick={() => logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
            data-testid="logout-button"
          >
            {t('auth.logout')}
          </Button>
        </Card>
      </div>
    </div>
  );
}

export default function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  if (forced) return <ForcedChange user={me.data} />;
  return (
    <div className="page-stack" data-testid="change-password-page" data-forced="false">
      <Card style={{ maxWidth: 560 }}>
        <Typography.Title level={4} className="page-title">
          {t('accounts.password.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('accounts.password.hint')}</Typography.Paragraph>
        <PasswordForm user={me.data} forced={false} />
      </Card>
    </div>
  );
}
