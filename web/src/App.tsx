import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Result, Spin, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { setUnauthorizedHandler } from './api.ts';
import { ME_KEY, useMe } from './auth.ts';
import { currentLanguage } from './i18n/index.ts';
import AppLayout from './layout/AppLayout.tsx';
import { errorLines, setMessageApi } from './notify.ts';
import ChangePasswordPage from './pages/ChangePasswordPage.tsx';
import LoginPage from './pages/LoginPage.tsx';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages.tsx';
import { queryClient } from './queryClient.ts';
import { APP_ROUTES, homePathFor } from './routes.tsx';
import type { Role } from './types.ts';

/** Hands antd's context-aware message API to notify.ts. */
function MessageBridge() {
  const { message } = AntApp.useApp();
  useEffect(() => {
    setMessageApi(message);
    return () => setMessageApi(null);
  }, [message]);
  return null;
}

/** Any 401 from the API: forget the user and go to the login page, coming back here afterwards. */
function UnauthorizedBridge() {
  const navigate = useNavigate();
  const client = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      const { pathname, search } = window.location;
      client.setQueryData(ME_KEY, null);
      if (pathname !== '/login') navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, client]);
  return null;
}

function Guarded({ roles, children }: { roles: readonly Role[]; children: React.ReactNode }) {
  const me = useMe();
  if (!me.data) return null;
  return roles.includes(me.data.role) ? children : <ForbiddenPage />;
}

function SignedIn() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <div className="full-center">
        <Spin size="large" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="full-center">
        <Result status="error" title={t('errors.loadFailed')} subTitle={errorLines(me.error).join('；')} />
      </div>
    );
  }
  if (!me.data) {
    const next = location.pathname === '/' ? '' : `?next=${encodeURIComponent(location.pathname + location.search)}`;
    return <Navigate to={`/login${next}`} replace />;
  }
  // a password an administrator set (a new account, a reset) must be replaced before anything else
  if (me.data.mustChangePassword) return <ChangePasswordPage forced />;
  return <AppLayout user={me.data} />;
}

/** '/' sends each role to where its work is; a role with no screen at all is told so here. */
function HomeRedirect() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  const home = homePathFor(me.data.role);
  if (home === '/') {
    return <Result status="info" title={t('errors.noScreensTitle')} subTitle={t('errors.noScreens')} data-testid="no-screens" />;
  }
  return <Navigate to={home} replace />;
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route element={<SignedIn />}>
        <Route index element={<HomeRedirect />} />
        {APP_ROUTES.map(({ path, roles, component: Page }) => (
          <Route
            key={path}
            path={`${path}/*`}
            element={
              <Guarded roles={roles}>
                <Suspense
                  fallback={
                    <div className="page-loading">
                      <Spin />
                    </div>
                  }
                >
                  <Page />
                </Suspense>
              </Guarded>
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

// who asked their system for less motion gets drawers, modals and messages without their animations
const reducedMotion = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export default function App() {
  useTranslation(); // re-render on language change
  const lang = currentLanguage();
  return (
    <ConfigProvider
      locale={lang === 'en-US' ? enUS : zhCN}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: {
          colorPrimary: '#0e7c86',
          colorInfo: '#0e7c86',
          borderRadius: 6,
          motion: !reducedMotion,
          fontFamily:
            "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
        },
        components: {
          Layout: { siderBg: '#0f2a33', headerBg: '#ffffff', bodyBg: '#f3f6f8', headerPadding: '0 24px' },
          Menu: { darkItemBg: '#0f2a33', darkSubMenuItemBg: '#0b2129', darkItemSelectedBg: '#0e7c86' },
        },
      }}
    >
      <AntApp>
        <MessageBridge />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <UnauthorizedBridge />
            <AppRoutes />
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
