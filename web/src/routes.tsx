// The route table: every screen of the web app, who may open it and where it sits in the menu.
// To add a screen, write its page component and add (or edit) one entry here; the menu, the router
// and the role check all read this table.
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  FileProtectOutlined,
  FileSyncOutlined,
  FileTextOutlined,
  FormOutlined,
  GiftOutlined,
  IdcardOutlined,
  LockOutlined,
  MedicineBoxOutlined,
  PayCircleOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShoppingOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { ContainerOutlined } from '@ant-design/icons';
import { CarOutlined } from '@ant-design/icons';
import { ImportOutlined, SwapOutlined } from '@ant-design/icons';
import { AlertOutlined, ControlOutlined, ExperimentOutlined, FundOutlined } from '@ant-design/icons';
import { AccountBookOutlined } from '@ant-design/icons';
import { InteractionOutlined } from '@ant-design/icons';
import { type ComponentType, type ReactNode, lazy } from 'react';
import ReturnedFilingsBadge from './components/filing/ReturnedFilingsBadge.tsx';
import ChangePasswordPage from './pages/ChangePasswordPage.tsx'; // also the forced screen (App.tsx)
import MyInfoPage from './pages/MyInfoPage.tsx';
import PersonSearchPage from './pages/PersonSearchPage.tsx';
import { ROLES, type Role } from './types.ts';

export interface AppRoute {
  /** URL path, also the menu key. */
  path: string;
  /** i18n key of the menu label and page title. */
  labelKey: string;
  icon: ReactNode;
  /** Roles that see the menu entry and may open the page. */
  roles: readonly Role[];
  component: ComponentType;
  /** false: a screen the router opens but the menu does not list (reached from elsewhere). */
  menu?: false;
  /** A count shown beside the menu label (the doctor's returned filings waiting). */
  badge?: ComponentType;
  /** The menu group the entry sits in (MENU_GROUPS): the administration screens, their home first, are listed together under 系统管理. */
  group?: keyof typeof MENU_GROUPS;
}

/** Menu groups: a submenu titled by `labelKey`, holding the entries that name the group, in table order. */
export const MENU_GROUPS = {
  admin: { labelKey: 'directory.menu.home', icon: <SettingOutlined /> },
} as const;

// Screens beyond the shell load on first use (App.tsx wraps every page in Suspense).
const ContractsPage = lazy(() => import('./pages/ContractsPage.tsx'));
const FilingsPage = lazy(() => import('./pages/FilingsPage.tsx'));
const ReviewQueuePage = lazy(() => import('./pages/ReviewQueuePage.tsx'));
const MyContractPage = lazy(() => import('./pages/MyContractPage.tsx'));
// the worklist and, nested under it, a patient's chart (/follow-ups/patients/:id)
const FollowUpsPage = lazy(() => import('./pages/FollowUpsPage.tsx'));
const CounterPage = lazy(() => import('./pages/CounterPage.tsx'));
const AuditLogPage = lazy(() => import('./pages/admin/AuditLogPage.tsx'));
const MyPurchasesPage = lazy(() => import('./pages/MyPurchasesPage.tsx'));
// issue 14: the doctor's renewal requests and the patient's prescriptions
const RenewalRequestsPage = lazy(() => import('./pages/prescriptions/RenewalRequestsPage.tsx'));
const MyPrescriptionsPage = lazy(() => import('./pages/prescriptions/MyPrescriptionsPage.tsx'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage.tsx'));
const ImportPage = lazy(() => import('./pages/admin/ImportPage.tsx'));
// FHIR 数据交换 (issue 18): a hospital's bundle imported; a county's bulk export (system administrator)
const FhirPage = lazy(() => import('./pages/admin/FhirPage.tsx'));
// administration (issue 13): the home, the directory and the read-only catalogues
const AdminHomePage = lazy(() => import('./pages/admin/AdminHomePage.tsx'));
const InstitutionsPage = lazy(() => import('./pages/admin/InstitutionsPage.tsx'));
const TeamsPage = lazy(() => import('./pages/admin/TeamsPage.tsx'));
const PractitionersPage = lazy(() => import('./pages/admin/PractitionersPage.tsx'));
const DrugsPage = lazy(() => import('./pages/admin/DrugsPage.tsx'));
const PoliciesPage = lazy(() => import('./pages/admin/PoliciesPage.tsx'));
const ServicePackagesPage = lazy(() => import('./pages/admin/ServicePackagesPage.tsx'));
// the pharmacist's prescriptions (issue 14): 审方, 处方取药, 库存
const RxReviewPage = lazy(() => import('./pages/pharmacy/RxReviewPage.tsx'));
const DispensingPage = lazy(() => import('./pages/pharmacy/DispensingPage.tsx'));
const StockPage = lazy(() => import('./pages/pharmacy/StockPage.tsx'));
// 送药到家 (issue 14): the delivery staff's phone screens, the institution's orders, the directory's providers
const CourierPage = lazy(() => import('./pages/delivery/CourierPage.tsx'));
const InstitutionDeliveriesPage = lazy(() => import('./pages/delivery/InstitutionDeliveriesPage.tsx'));
const DeliveryProvidersPage = lazy(() => import('./pages/delivery/ProvidersPage.tsx'));
// 双向转诊: the family doctor's referrals out and down-referrals to follow up; the hospital doctor's incoming
const ReferralsPage = lazy(() => import('./pages/referrals/ReferralsPage.tsx'));
const IncomingReferralsPage = lazy(() => import('./pages/referrals/IncomingReferralsPage.tsx'));
const ReferredChartPage = lazy(() => import('./pages/referrals/ReferredChartPage.tsx'));
// 智能审核 (smart audit): the reviewer's findings, samples and summary; the administrator's rules and runs
const SmartAuditFindingsPage = lazy(() => import('./pages/smartAudit/FindingsPage.tsx'));
const SmartAuditSamplesPage = lazy(() => import('./pages/smartAudit/SamplesPage.tsx'));
const SmartAuditSummaryPage = lazy(() => import('./pages/smartAudit/SummaryPage.tsx'));
const SmartAuditRulesPage = lazy(() => import('./pages/smartAudit/RulesPage.tsx'));
// 指标看板 (issue 16): the indicators, the trend, the units side by side, the patients behind a number
const IndicatorsPage = lazy(() => import('./pages/indicators/IndicatorsPage.tsx'));
// 医保支付 (issue 17): capitation, the medical community's budget, the contract fee, work equivalents
const PaymentsPage = lazy(() => import('./pages/payments/PaymentsPage.tsx'));

// as the access table says (person.search, src/core/access.ts): the analyst works with aggregates
const STAFF_WHO_SEARCH_PEOPLE: readonly Role[] = ['family_doctor', 'insurance_reviewer', 'pharmacist', 'system_admin'];

/** In menu order (the layout lists the role's home first, see homePathFor). */
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
  {
    path: '/my-purchases',
    labelKey: 'menu.myPurchases',
    icon: <ShoppingOutlined />,
    roles: ['patient'], // person.claims.read on their own record
    component: MyPurchasesPage,
  },
  {
    path: '/my-prescriptions',
    labelKey: 'menu.myPrescriptions',
    icon: <FileTextOutlined />,
    roles: ['patient'], // prescription.read, prescription.place and renewal.request on their own record
    component: MyPrescriptionsPage,
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
    badge: ReturnedFilingsBadge,
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
    path: '/renewal-requests',
    labelKey: 'menu.renewalRequests',
    icon: <FileSyncOutlined />,
    roles: ['family_doctor'], // renewal.handle: the team's queue
    component: RenewalRequestsPage,
  },
  {
    path: '/referrals',
    labelKey: 'referral.menu.doctor',
    icon: <SwapOutlined />,
    roles: ['family_doctor'], // the team's up-referrals and the down-referrals it must follow up
    component: ReferralsPage,
  },
  {
    path: '/referrals/incoming',
    labelKey: 'referral.menu.incoming',
    icon: <ImportOutlined />,
    roles: ['specialist'], // up-referrals to the user's hospital; its down-referrals
    component: IncomingReferralsPage,
  },
  {
    path: '/referrals/incoming/patients/:id',
    labelKey: 'referral.menu.chart',
    icon: <ImportOutlined />,
    roles: ['specialist'], // a referred patient's chart (person.chart.read: referred_here)
    component: ReferredChartPage,
    menu: false,
  },
  {
    path: '/settlements',
    labelKey: 'menu.settlements',
    icon: <PayCircleOutlined />,
    // the counter starts with finding the patient (person.search): the institution's administrator
    // holds no search, so it is not theirs; the agency and the system administrator read claims there
    roles: ['pharmacist', 'insurance_reviewer', 'system_admin'],
    component: CounterPage,
  },
  // the pharmacist's prescriptions (issue 14): the counter that starts from the prescription, the
  // county's review (prescription.review, prescription.dispense) and the institution's stock (stock.manage)
  {
    path: '/dispensing',
    labelKey: 'pharmacy.menu.dispense',
    icon: <MedicineBoxOutlined />,
    roles: ['pharmacist'],
    component: DispensingPage,
  },
  {
    path: '/rx-review',
    labelKey: 'pharmacy.menu.review',
    icon: <AuditOutlined />,
    roles: ['pharmacist'],
    component: RxReviewPage,
  },
  {
    path: '/stock',
    labelKey: 'pharmacy.menu.stock',
    icon: <ContainerOutlined />,
    roles: ['pharmacist'],
    component: StockPage,
  },
  // 送药到家: the provider's staff (delivery.recheck / delivery.handle on their provider's orders) and the
  // fill institution's pharmacist (delivery.order, the first recheck)
  {
    path: '/deliveries',
    labelKey: 'delivery.menu.mine',
    icon: <CarOutlined />,
    roles: ['delivery'],
    component: CourierPage,
  },
  {
    path: '/delivery-orders',
    labelKey: 'delivery.menu.institution',
    icon: <CarOutlined />,
    roles: ['pharmacist'],
    component: InstitutionDeliveriesPage,
  },
  {
    path: '/reports',
    labelKey: 'indicators.menu',
    icon: <BarChartOutlined />,
    // 指标看板 (indicators.read): the analyst's city (their home: their work is aggregates), a county
    // reviewer's own county; the patients behind a number and the quarterly workbook for both
    roles: ['analyst', 'insurance_reviewer'],
    component: IndicatorsPage,
  },
  {
    path: '/payments',
    labelKey: 'payments.menu',
    icon: <AccountBookOutlined />,
    // 医保支付 (payments.read, payments.details.read): the analyst's city (or one county), a county reviewer's own county
    roles: ['analyst', 'insurance_reviewer'],
    component: PaymentsPage,
  },
  // 智能审核 (after the event): the reviewer works the county's findings (smartAudit.findings.read / decide)
  // and samples (smartAudit.sample); the summary is also the analyst's (area) and an institution's
  // administrator's (own institution); the rules and the run are the system administrator's (smartAudit.run)
  {
    path: '/smart-audit/findings',
    labelKey: 'smartAudit.menu.findings',
    icon: <AlertOutlined />,
    roles: ['insurance_reviewer'],
    component: SmartAuditFindingsPage,
  },
  {
    path: '/smart-audit/samples',
    labelKey: 'smartAudit.menu.samples',
    icon: <ExperimentOutlined />,
    roles: ['insurance_reviewer'],
    component: SmartAuditSamplesPage,
  },
  {
    path: '/smart-audit/summary',
    labelKey: 'smartAudit.menu.summary',
    icon: <FundOutlined />,
    roles: ['insurance_reviewer', 'analyst', 'institution_admin'],
    component: SmartAuditSummaryPage,
  },
  {
    path: '/smart-audit/rules',
    labelKey: 'smartAudit.menu.rules',
    icon: <ControlOutlined />,
    roles: ['system_admin'],
    component: SmartAuditRulesPage,
  },
  {
    path: '/admin/users',
    labelKey: 'accounts.menu',
    icon: <UserSwitchOutlined />,
    // user.manage: everyone, or an institution's own doctors, pharmacists and administrators
    roles: ['system_admin', 'institution_admin'],
    component: UsersPage,
    group: 'admin',
  },
  {
    path: '/account/password',
    labelKey: 'accounts.password.menu',
    icon: <LockOutlined />,
    roles: ROLES, // one's own password, whatever the role
    component: ChangePasswordPage,
    menu: false,
  },
  // the directory: institutions are the system administrator's (institution.manage), teams and
  // practitioners also an institution's administrator's within it (team.manage); the catalogues are
  // read by both (catalogue.read)
  {
    path: '/admin/institutions',
    labelKey: 'directory.menu.institutions',
    icon: <ApartmentOutlined />,
    roles: ['system_admin'],
    component: InstitutionsPage,
    group: 'admin',
  },
  {
    path: '/admin/teams',
    labelKey: 'directory.menu.teams',
    icon: <TeamOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: TeamsPage,
    group: 'admin',
  },
  {
    path: '/admin/practitioners',
    labelKey: 'directory.menu.practitioners',
    icon: <SolutionOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: PractitionersPage,
    group: 'admin',
  },
  {
    path: '/admin/drugs',
    labelKey: 'directory.menu.drugs',
    icon: <MedicineBoxOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: DrugsPage,
    group: 'admin',
  },
  {
    path: '/admin/policies',
    labelKey: 'directory.menu.policies',
    icon: <ReadOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: PoliciesPage,
    group: 'admin',
  },
  {
    path: '/admin/service-packages',
    labelKey: 'directory.menu.servicePackages',
    icon: <GiftOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: ServicePackagesPage,
    group: 'admin',
  },
  {
    path: '/admin/delivery-providers',
    labelKey: 'delivery.menu.providers',
    icon: <CarOutlined />,
    roles: ['system_admin'], // delivery.provider.manage
    component: DeliveryProvidersPage,
    group: 'admin',
  },
  {
    path: '/admin/audit',
    labelKey: 'menu.auditLog',
    icon: <FileProtectOutlined />,
    roles: ['system_admin', 'institution_admin'], // audit.read: the institution's administrator sees its own users' rows
    component: AuditLogPage,
    group: 'admin',
  },
  {
    path: '/admin/import',
    labelKey: 'imports.menu',
    icon: <CloudUploadOutlined />,
    // roster.import is the system administrator's; diagnoses.import also an institution's administrator's (own institution)
    roles: ['system_admin', 'institution_admin'],
    component: ImportPage,
    group: 'admin',
  },
  {
    path: '/admin/fhir',
    labelKey: 'fhir.menu',
    icon: <InteractionOutlined />,
    // fhir.import: everyone's for the system administrator, its own patients' for an institution's; fhir.export the system administrator's (the page shows it to them only)
    roles: ['system_admin', 'institution_admin'],
    component: FhirPage,
    group: 'admin',
  },
  {
    // the administrators' home: a card per section above (last, so a section's own path matches first)
    path: '/admin',
    labelKey: 'directory.menu.overview',
    icon: <SettingOutlined />,
    roles: ['system_admin', 'institution_admin'],
    component: AdminHomePage,
    group: 'admin', // first of the role's menu, so the group heads it and is open on the administrators' home
  },
];

export function routesFor(role: Role): AppRoute[] {
  return APP_ROUTES.filter((route) => route.roles.includes(role));
}

/** Where each role's work is: the screen it lands on after sign-in and on '/'. */
const ROLE_HOME: Record<Role, string> = {
  family_doctor: '/follow-ups', // today's follow-up worklist
  pharmacist: '/settlements', // the counter
  insurance_reviewer: '/review-queue',
  analyst: '/reports',
  institution_admin: '/admin',
  system_admin: '/admin',
  patient: '/me',
  delivery: '/deliveries', // the provider's orders to recheck and deliver
  specialist: '/referrals/incoming', // the hospital's incoming referrals
};

/**
 * The role's home when the role may open it, else the first route it may open (in menu order);
 * '/' when the role may open no screen at all (the app then says so there).
 */
export function homePathFor(role: Role): string {
  const mine = routesFor(role).filter((r) => r.menu !== false); // never a screen the menu hides
  const home = ROLE_HOME[role];
  // the home itself, else the first screen under it (an area such as /admin may have only subpages)
  const at = mine.find((r) => r.path === home) ?? mine.find((r) => r.path.startsWith(`${home}/`));
  return (at ?? mine[0])?.path ?? '/';
}

/** The route whose path is the URL or a parent of it. */
export function matchRoute(pathname: string): AppRoute | undefined {
  // the longest path wins: /admin/teams is the teams screen, not the administration home
  return APP_ROUTES.filter((route) => pathname === route.path || pathname.startsWith(`${route.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];
}

