// Login: username + password; the server's problem+json detail is shown above the form.
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { safeNext, useLogin, useMe } from '../auth.ts';
import LanguageSwitch from '../components/LanguageSwitch.tsx';
import { errorLines } from '../notify.ts';
import { homePathFor, matchRoute } from '../routes.tsx';
import type { User } from '../types.ts';

/** Back to where the user was sent from, unless that page is not for their role (then their home). */
function landingFor(user: User, next: string): string {
  const route = matchRoute(next.split('?')[0] ?? '/');
  return route && route.roles.includes(user.role) ? next : homePathFor(user.role);
}

const DEMO_PASSWORD = 'manbing-demo';
const DEMO_USERS = ['doctor', 'specialist', 'pharmacist', 'centre-pharmacist', 'delivery', 'reviewer', 'analyst', 'admin', 'patient'] as const;

interface Credentials {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const next = safeNext(params.get('next'));

  if (me.data) return <Navigate to={landingFor(me.data, next)} replace />;

  const onFinish = (values: Credentials) => {
    login.mutate(values, { onSuccess: ({ user }) => navigate(landingFor(user, next), { replace: true }) });
  };

  // A localized headline for the common cases, with the server's own words underneath.
  const error = login.error;
  const status = error instanceof ApiError ? error.status : null;
  const errorTitle =
    status === 401 ? t('auth.wrongCredentials') : status === 429 ? t('auth.tooManyAttempts') : t('auth.loginFailed');
  const errorDetail = error ? errorLines(error).join('；') : null;

  const fillDemo = (username: string) => {
    form.setFieldsValue({ username, password: DEMO_PASSWORD });
    login.reset();
  };

  return (
    <div className="login-page">
      <div className="login-page__lang">
        <LanguageSwitch />
      </div>
      <div className="login-page__inner">
        <div className="login-brand">
          <div className="login-brand__logo">
            <img src="/favicon.svg" alt="" width={48} height={48} />
            <span>{t('app.shortName')}</span>
          </div>
          <Typography.Title level={2} className="login-brand__title">
            {t('app.title')}
          </Typography.Title>
          <Typography.Paragraph className="login-brand__subtitle">{t('app.subtitle')}</Typography.Paragraph>
        </div>

        <Card className="login-card">
          <Typography.Title level={4} className="login-card__title">
            {t('auth.title')}
          </Typography.Title>
          {error ? (
            <Alert
              type="error"
              showIcon
              title={errorTitle}
              description={errorDetail !== errorTitle ? errorDetail : undefined}
              className="login-card__error"
              data-testid="login-error"
            />
          ) : null}
          <Form<Credentials>
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            onFinish={onFinish}
            onValuesChange={() => {
              if (login.isError) login.reset();
            }}
          >
            <Form.Item
              name="username"
              label={t('auth.username')}
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
              {t('auth.submit')}
            </Button>
          </Form>

          <div className="login-demo" data-testid="login-demo">
            <Typography.Text strong>{t('auth.demoTitle')}</Typography.Text>
            <Typography.Paragraph type="secondary" className="login-demo__hint">
              {t('auth.demoHint', { password: DEMO_PASSWORD })}
            </Typography.Paragraph>
            <ul className="login-demo__list">
              {DEMO_USERS.map((username) => (
                <li key={username}>
                  <Tag.CheckableTag checked={false} onChange={() => fillDemo(username)} data-testid={`login-demo-${username}`}>
                    <span className="mono">{username}</span>
                  </Tag.CheckableTag>
                  <Typography.Text type="secondary">{t(`demoUsers.${username}`)}</Typography.Text>
                </li>
              ))}
            </ul>
          </div>
        </Card>
        <Typography.Text type="secondary" className="login-footer">
          {t('app.footer')}
        </Typography.Text>
      </div>
    </div>
  );
}
