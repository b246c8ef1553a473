// The signed-in frame: side menu from the route table (filtered by role), header with the user,
// role, scope, language switch and logout.
import { ApartmentOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Avatar, Button, Layout, Menu, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout } from '../auth.ts';
import LanguageSwitch from '../components/LanguageSwitch.tsx';
import { matchRoute, routesFor } from '../routes.tsx';
import type { Role, User } from '../types.ts';

const ROLE_COLOR: Record<Role, string> = {
  family_doctor: 'green',
  pharmacist: 'purple',
  insurance_reviewer: 'blue',
  analyst: 'gold',
  institution_admin: 'cyan',
  system_admin: 'magenta',
  patient: 'default',
};

export default function AppLayout({ user }: { user: User }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);

  const current = matchRoute(location.pathname);
  const items = routesFor(user.role).map((route) => ({
    key: route.path,
    icon: route.icon,
    label: t(route.labelKey),
    'data-testid': `menu-${route.path.slice(1)}`,
  }));

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <Layout className="app-layout">
      <Layout.Sider
        width={224}
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        theme="dark"
        className="app-sider"
      >
        <div className="app-logo" title={t('app.title')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {collapsed ? null : <span className="app-logo__text">{t('app.shortName')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={current ? [current.path] : []}
          items={items}
          onClick={({ key }) => navigate(key)}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Space size={12} align="center">
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              aria-label="toggle menu"
            />
            <Typography.Text strong className="app-header__title">
              {t('app.title')}
            </Typography.Text>
          </Space>
          <Space size={16} align="center" className="app-header__user">
            <Tooltip title={`${t('auth.scope')}：${t(`scopeKinds.${user.scope.kind}`)}`}>
              <span className="app-header__scope" data-testid="user-scope">
                <ApartmentOutlined /> {user.scope.name}
              </span>
            </Tooltip>
            <Space size={8} align="center">
              <Avatar size="small" className="app-header__avatar">
                {user.displayName.slice(0, 1)}
              </Avatar>
              <Typography.Text strong data-testid="user-display-name">
                {user.displayName}
              </Typography.Text>
              <Tag color={ROLE_COLOR[user.role]} data-testid="user-role">
                {t(`roles.${user.role}`)}
              </Tag>
            </Space>
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout-button">
              {t('auth.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content">
          <Outlet />
        </Layout.Content>
        <Layout.Footer className="app-footer">{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
