// The signed-in frame: the menu from the route table (filtered by role, the role's home first), a
// header with the user, role, scope, language switch and logout. On a phone the menu, the language
// switch and logout move into a drawer opened from the header's menu button. A patient whose contract
// is about to end sees the renewal prompt above each page.
import { ApartmentOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Avatar, Button, Drawer, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useLogout } from '../auth.ts';
import LanguageSwitch from '../components/LanguageSwitch.tsx';
import { type AppRoute, MENU_GROUPS, homePathFor, matchRoute, routesFor } from '../routes.tsx';
import type { Role, User } from '../types.ts';
import RenewalBanner from './RenewalBanner.tsx';
import { useIsPhone } from './useIsPhone.ts';

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

/**
 * The role's menu entries in table order with its home first and the other screens of the home's area
 * (/admin/…) right after it: where its work starts heads the menu. Screens the table keeps out of the
 * menu (menu: false) are left out.
 */
export function menuRoutesFor(role: Role): AppRoute[] {
  const routes = routesFor(role).filter((r) => r.menu !== false);
  const home = homePathFor(role);
  const area = `/${home.split('/')[1] ?? ''}`;
  const inArea = (r: AppRoute) => r.path !== home && (r.path === area || r.path.startsWith(`${area}/`));
  return [...routes.filter((r) => r.path === home), ...routes.filter(inArea), ...routes.filter((r) => r.path !== home && !inArea(r))];
}

type MenuItems = NonNullable<MenuProps['items']>;

/** Menu items from the entries; entries of a group (MENU_GROUPS) become one submenu where the first of them sits. */
function menuItems(routes: AppRoute[], t: (key: string) => string): MenuItems {
  const items: MenuItems = [];
  const groups = new Map<string, MenuItems>();
  for (const route of routes) {
    const Badge = route.badge;
    const label = Badge ? (
      <span>
        {t(route.labelKey)} <Badge />
      </span>
    ) : (
      t(route.labelKey)
    );
    const item = { key: route.path, icon: route.icon, label, 'data-testid': `menu-${route.path.slice(1)}` };
    if (!route.group) {
      items.push(item);
      continue;
    }
    let children = groups.get(route.group);
    if (!children) {
      children = [];
      groups.set(route.group, children);
      const group = MENU_GROUPS[route.group];
      items.push({ key: `group:${route.group}`, icon: group.icon, label: t(group.labelKey), children, 'data-testid': `menu-group-${route.group}` } as MenuItems[number]);
    }
    children.push(item);
  }
  return items;
}

function RoleTag({ role }: { role: Role }) {
  const { t } = useTranslation();
  return (
    <Tag color={ROLE_COLOR[role]} data-testid="user-role">
      {t(`roles.${role}`)}
    </Tag>
  );
}

export default function AppLayout({ user }: { user: User }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const logout = useLogout();
  const phone = useIsPhone();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  const current = matchRoute(location.pathname);
  const items = menuItems(menuRoutesFor(user.role), t);
  // the group holding the current screen starts open; a collapsed menu opens its groups as popups
  const currentGroup = current?.group ? `group:${current.group}` : null;
  const [openKeys, setOpenKeys] = useState<string[]>(currentGroup ? [currentGroup] : []);
  const collapse = (next: boolean) => {
    setCollapsed(next);
    setOpenKeys(next || !currentGroup ? [] : [currentGroup]);
  };
  // arriving at a screen of a group (from '/', a link, a card) opens that group
  useEffect(() => {
    if (currentGroup && !collapsed) setOpenKeys((keys) => (keys.includes(currentGroup) ? keys : [...keys, currentGroup]));
  }, [currentGroup, collapsed]);

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  const menu = (dark: boolean) => (
    <Menu
      theme={dark ? 'dark' : 'light'}
      mode="inline"
      selectedKeys={current ? [current.path] : []}
      openKeys={openKeys}
      onOpenChange={setOpenKeys}
      items={items}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      data-testid="side-menu"
      className={dark ? undefined : 'app-drawer__menu'}
    />
  );

  const content = (
    <>
      <Layout.Content className="app-content">
        {user.role === 'patient' ? <RenewalBanner /> : null}
        <Outlet />
      </Layout.Content>
      <Layout.Footer className="app-footer">{t('app.footer')}</Layout.Footer>
    </>
  );

  if (phone) {
    return (
      <Layout className="app-layout app-layout--phone">
        <Layout.Header className="app-header app-header--phone">
          <Button
            type="text"
            icon={<MenuOutlined />}
            onClick={() => setDrawerOpen(true)}
            aria-label={t('layout.openMenu')}
            aria-expanded={drawerOpen}
            data-testid="menu-toggle"
          />
          <Typography.Text strong className="app-header__page" data-testid="page-title">
            {current ? t(current.labelKey) : t('app.shortName')}
          </Typography.Text>
          <span className="app-header__me">
            <Avatar size="small" className="app-header__avatar">
              {user.displayName.slice(0, 1)}
            </Avatar>
            <Typography.Text strong ellipsis className="app-header__name" data-testid="user-display-name">
              {user.displayName}
            </Typography.Text>
          </span>
        </Layout.Header>
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={288}
          title={
            <span className="app-drawer__brand">
              <img src="/favicon.svg" alt="" width={24} height={24} />
              {t('app.shortName')}
            </span>
          }
          rootClassName="app-drawer"
          footer={
            <div className="app-drawer__footer">
              <LanguageSwitch />
              <Button icon={<KeyOutlined />} onClick={() => { setDrawerOpen(false); navigate('/account/password'); }} data-testid="change-password-link" block>
                {t('accounts.password.menu')}
              </Button>
              <Button icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout-button" block>
                {t('auth.logout')}
              </Button>
            </div>
          }
        >
          <div className="app-drawer__user">
            <Avatar size={40} className="app-header__avatar">
              {user.displayName.slice(0, 1)}
            </Avatar>
            <div className="app-drawer__who">
              <Typography.Text strong>{user.displayName}</Typography.Text>
              <div>
                <RoleTag role={user.role} />
              </div>
              {user.scope.kind === 'person' ? null : (
                <Typography.Text type="secondary" className="app-drawer__scope" data-testid="user-scope">
                  <ApartmentOutlined /> {user.scope.name}
                </Typography.Text>
              )}
            </div>
          </div>
          {menu(false)}
        </Drawer>
        {content}
      </Layout>
    );
  }

  return (
    <Layout className="app-layout">
      <Layout.Sider
        width={224}
        breakpoint="lg"
        collapsible
        collapsed={collapsed}
        onCollapse={collapse}
        trigger={null}
        theme="dark"
        className="app-sider"
      >
        <div className="app-logo" title={t('app.title')}>
          <img src="/favicon.svg" alt="" width={28} height={28} />
          {collapsed ? null : <span className="app-logo__text">{t('app.shortName')}</span>}
        </div>
        {menu(true)}
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Space size={12} align="center">
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => collapse(!collapsed)}
              aria-label={collapsed ? t('layout.expandMenu') : t('layout.collapseMenu')}
            />
            <Typography.Text strong className="app-header__title">
              {t('app.title')}
            </Typography.Text>
          </Space>
          <Space size={16} align="center" className="app-header__user">
            {user.scope.kind === 'person' ? null : ( // a patient's scope is themself: their name follows
              <Tooltip title={`${t('auth.scope')}：${t(`scopeKinds.${user.scope.kind}`)}`}>
                <span className="app-header__scope" data-testid="user-scope">
                  <ApartmentOutlined /> {user.scope.name}
                </span>
              </Tooltip>
            )}
            <Space size={8} align="center">
              <Avatar size="small" className="app-header__avatar">
                {user.displayName.slice(0, 1)}
              </Avatar>
              <Typography.Text strong data-testid="user-display-name">
                {user.displayName}
              </Typography.Text>
              <RoleTag role={user.role} />
            </Space>
            <LanguageSwitch />
            <Tooltip title={t('accounts.password.menu')}>
              <Button icon={<KeyOutlined />} onClick={() => navigate('/account/password')} aria-label={t('accounts.password.menu')} data-testid="change-password-link" />
            </Tooltip>
            <Button icon={<LogoutOutlined />} onClick={onLogout} loading={logout.isPending} data-testid="logout-button">
              {t('auth.logout')}
            </Button>
          </Space>
        </Layout.Header>
        {content}
      </Layout>
    </Layout>
  );
}
