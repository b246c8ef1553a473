// The route table: every screen of the web app, who may open it and where it sits in the menu.
// To add a screen, write its page component and add (or edit) one entry here; the menu, the router
// and the role check all read this table.
import {
  AuditOutlined,
  BarChartOutlined,
  FileDoneOutlined,
  FileSearchOutlined,
  FormOutlined,
  IdcardOutlined,
  MedicineBoxOutlined,
  PayCircleOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { type ComponentType, type ReactNode, lazy } from 'react';
import { comingSoon } from './pages/ComingSoonPage.tsx';
import MyInfoPage from './pages/MyInfoPage.tsx';
import PersonSearchPage from './pages/PersonSearchPage.tsx';
import type { Role } from './types.ts';

export interface AppRoute {
  /** URL path, also the menu key. */
  path: string;
  /** i18n key of the menu label and page title. */
  labelKey: string;
  icon: ReactNode;
  /** Roles that see the menu entry and may open the page. */
  roles: readonly Role[];
  component: ComponentType;
}

// Screens beyond the shell load on first use (App.tsx wraps every page in Suspense).
const ContractsPage = lazy(() => import('./pages/ContractsPage.tsx'));
const FilingsPage = lazy(() => import('./pages/FilingsPage.tsx'));
const ReviewQueuePage = lazy(() => import('./pages/ReviewQueuePage.tsx'));
const MyContractPage = lazy(() => import('./pages/MyContractPage.tsx'));
// the worklist and, nested under it, a patient's chart (/follow-ups/patients/:id)
const FollowUpsPage = lazy(() => import('./pages/FollowUpsPage.tsx'));
const CounterPage = lazy(() => import('./pages/CounterPage.tsx'));

// as the access table says (person.search, src/core/access.ts): the analyst works with aggregates
const STAFF_WHO_SEARCH_PEOPLE: readonly Role[] = ['family_doctor', 'insurance_reviewer', 'pharmacist', 'system_admin'];

/** In menu order. The first entry a role may open is its home page. */
export const APP_ROUTES: readonly AppRoute[] = [
  {
    path: '/people',
    labelKey: 'menu.people',
    icon: <IdcardOutlined />,
    roles: STAFF_WHO_SEARCH_PEOPLE,
    component: PersonSearchPage,
  },
  {
    path: '/me',
    labelKey: 'menu.me',
    icon: <UserOutlined />,
    roles: ['patient'],
    component: MyInfoPage,
  },
  {
    path: '/my-contract',
    labelKey: 'menu.myContract',
    icon: <SafetyCertificateOutlined />,
    roles: ['patient'],
    component: MyContractPage,
  },
  // the team's list, filings and the agency's queue are scoped to a team / a county: only the
  // roles that have one open them (the API answers 403 to anyone else)
  {
    path: '/contracts',
    labelKey: 'menu.contracts',
    icon: <TeamOutlined />,
    roles: ['family_doctor'],
    component: ContractsPage,
  },
  {
    path: '/registrations',
    labelKey: 'menu.registrations',
    icon: <FormOutlined />,
    roles: ['family_doctor'],
    component: FilingsPage,
  },
  {
    path: '/review-queue',
    labelKey: 'menu.reviewQueue',
    icon: <AuditOutlined />,
    roles: ['insurance_reviewer'],
    component: ReviewQueuePage,
  },
  {
    path: '/follow-ups',
    labelKey: 'menu.followUps',
    icon: <ScheduleOutlined />,
    roles: ['family_doctor'], // team.read: the team's own worklists
    component: FollowUpsPage,
  },
  {
    path: '/prescriptions',
    labelKey: 'menu.prescriptions',
    icon: <MedicineBoxOutlined />,
    roles: ['family_doctor', 'institution_admin', 'system_admin'],
    component: comingSoon('prescriptions'),
  },
  {
    path: '/prescription-review',
    labelKey: 'menu.prescriptionReview',
    icon: <FileSearchOutlined />,
    roles: ['pharmacist', 'system_admin'],
    component: comingSoon('prescriptionReview'),
  },
  {
    path: '/settlements',
    labelKey: 'menu.settlements',
    icon: <PayCircleOutlined />,
    roles: ['pharmacist', 'insurance_reviewer', 'institution_admin', 'system_admin'],
    component: CounterPage,
  },
  {
    path: '/reports',
    labelKey: 'menu.reports',
    icon: <BarChartOutlined />,
    roles: ['analyst', 'insurance_reviewer', 'institution_admin', 'system_admin'],
    component: comingSoon('reports'),
  },
  {
    path: '/my-prescriptions',
    labelKey: 'menu.myPrescriptions',
    icon: <FileDoneOutlined />,
    roles: ['patient'],
    component: comingSoon('myPrescriptions'),
  },
];

export function routesFor(role: Role): AppRoute[] {
  return APP_ROUTES.filter((route) => route.roles.includes(role));
}

export function homePathFor(role: Role): string {
  return routesFor(role)[0]?.path ?? '/';
}

/** The route whose path is the URL or a parent of it. */
export function matchRoute(pathname: string): AppRoute | undefined {
  return APP_ROUTES.find((route) => pathname === route.path || pathname.startsWith(`${route.path}/`));
}

