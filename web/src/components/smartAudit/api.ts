// The smart audit's calls (src/modules/smartAudit, src/modules/auditReview; docs/smart-audit.md) as
// react-query hooks, and the shapes of their answers as these screens use them.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import { currentLanguage } from '../../i18n/index.ts';

export type FindingStatus = 'open' | 'confirmed' | 'dismissed';
export const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'confirmed', 'dismissed'];
export type DeductionAgainst = 'institution' | 'doctor';

export interface AuditRule {
  code: string;
  version: number;
  subject?: 'claim' | 'prescription' | 'claim_or_prescription' | 'doctor';
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  params: Record<string, unknown>;
  nationalRule: string | null;
  points: number;
  active: boolean;
}

export interface AuditRun {
  id: string;
  /** The service date audited. */
  date: string;
  trigger: 'nightly' | 'cli' | 'api';
  startedAt: string;
  finishedAt: string | null;
  claimsChecked: number;
  prescriptionsChecked: number;
  findingsTotal: number;
  findingsNew: number;
  ruleVersions: Record<string, number>;
}

/** POST /api/smart-audit/runs: the run, the days of the outlier window audited first, the findings by rule. */
export interface RunResult {
  run: Omit<AuditRun, 'trigger'>;
  backfilled: string[];
  byRule: Record<string, { findings: number; new: number; amountFen: number }>;
}

interface Named {
  id: string;
  name: string;
}

export interface InstitutionRef extends Named {
  code?: string;
  level?: string;
  countyCode?: string;
}

export interface ClaimBrief {
  id: string;
  settlementNo: string | null;
  serviceDate: string;
  status: string;
  amountFen: number;
  fundPayFen: number;
  lines: Array<{ lineNo: number; drugCode: string; drugName: string; quantity: number; daysSupply: number | null; amountFen: number; fundPayFen: number }>;
}

export interface PrescriptionBrief {
  id: string;
  prescriptionNo: string;
  writtenOn: string;
  status: string;
  daysSupply: number;
  lines: Array<{ lineNo: number; drugCode: string; drugName: string; dose: number; frequency: string; daysSupply: number; quantity: number }>;
}

/** A finding as the queue lists it (docs/smart-audit.md, "The queue"). */
export interface FindingSummary {
  id: string;
  ruleCode: string;
  ruleVersion: number;
  ruleTitle: { zh: string; en: string };
  serviceDate: string;
  countyCode: string;
  status: FindingStatus;
  amountFen: number;
  deductionFen: number | null;
  deductionAgainst: DeductionAgainst | null;
  decisionReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  foundAt: string;
  /** Masked ID number; null only for prescriber_outlier (a doctor's finding). */
  person: { id: string; name: string; idNumber: string } | null;
  institution: InstitutionRef;
  doctor: Named | null;
  claim: ClaimBrief | null;
  prescription: PrescriptionBrief | null;
  evidence: Record<string, unknown>;
}

export interface FindingEvent {
  at: string;
  action: 'found' | 'confirmed' | 'dismissed' | 'reopened';
  from: FindingStatus | null;
  to: FindingStatus;
  reason: string | null;
  /** The user's display name; null for the audit job. */
  by: string | null;
  detail: Record<string, unknown> | null;
}

export interface FindingDetail extends FindingSummary {
  /** The rule's version that found it. */
  rule: Omit<AuditRule, 'active'> & { active?: boolean };
  runId: string;
  history: FindingEvent[];
  /** Names of the institutions the evidence names by id, whichever county they are in. */
  institutionNames: Record<string, string>;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A sample as the list gives it: the sampling arithmetic (src/engine/audit/sampling.ts) included. */
export interface SampleSummary {
  id: string;
  countyCode: string;
  from: string;
  to: string;
  rateBp: number | null;
  size: number | null;
  seed: number;
  status: 'open' | 'closed';
  createdBy: string | null;
  createdAt: string;
  closedAt: string | null;
  populationClaims: number;
  populationFundPayFen: number;
  sampledClaims: number;
  sampledFundPayFen: number;
  reviewed: number;
  pending: number;
  errors: number;
  errorFen: number;
  /** Σ error ÷ Σ sampled fund payment, basis points half up; null when the sample paid nothing. */
  errorRateBp: number | null;
  unsampledFundPayFen: number;
  /** 差错率 × 未抽样金额 = 建议扣减: computed while open, fixed at the close. */
  proposedDeductionFen: number;
}

export type SampleResult = 'pending' | 'correct' | 'error';

export interface SampleClaim {
  claimId: string;
  settlementNo: string | null;
  serviceDate: string;
  person: { id: string; name: string; idNumber: string } | null;
  institution: Named;
  amountFen: number;
  fundPayFen: number;
  result: SampleResult;
  errorAmountFen: number | null;
  note: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
}

export interface SampleDetail extends SampleSummary {
  claims: SampleClaim[];
}

export interface SummaryCounts {
  claims: number;
  amountFen: number;
  fundPayFen: number;
  flaggedClaims: number;
  findings: number;
  confirmed: number;
  dismissed: number;
  open: number;
  deductionFen: number;
  deductionInstitutionFen: number;
  deductionDoctorFen: number;
  /** 医保医师考核记分 (by doctor; null by institution). */
  points: number | null;
}

export interface SummaryRow extends SummaryCounts {
  institution: InstitutionRef;
  doctor: Named | null;
  flaggedShareBp: number | null;
}

export type SummaryBy = 'institution' | 'doctor';

export interface Summary {
  from: string;
  to: string;
  by: SummaryBy;
  regionCode: string | null;
  institutionId: string | null;
  items: SummaryRow[];
  totals: SummaryCounts;
}

/** A rule's title and description in the screen's language. */
export function ruleTitle(rule: Pick<AuditRule, 'titleZh' | 'titleEn'> | null | undefined, code: string): string {
  if (!rule) return code;
  return currentLanguage() === 'en-US' ? rule.titleEn : rule.titleZh;
}
/** A queue item's rule title ({ zh, en }) in the screen's language. */
export const findingTitle = (f: Pick<FindingSummary, 'ruleTitle' | 'ruleCode'>): string =>
  (currentLanguage() === 'en-US' ? f.ruleTitle?.en : f.ruleTitle?.zh) || f.ruleCode;
export function ruleDescription(rule: Pick<AuditRule, 'descriptionZh' | 'descriptionEn'>): string {
  return currentLanguage() === 'en-US' ? rule.descriptionEn : rule.descriptionZh;
}

const KEY = 'smartAudit';

export function useRules() {
  return useQuery({
    queryKey: [KEY, 'rules'],
    queryFn: ({ signal }) => api<{ items: AuditRule[] }>('/api/smart-audit/rules', { signal }),
    staleTime: 5 * 60_000,
  });
}

/** The rules in force by code (the latest version of each), for titles in lists. */
export function useRuleByCode(): Map<string, AuditRule> {
  const rules = useRules();
  const map = new Map<string, AuditRule>();
  for (const r of rules.data?.items ?? []) {
    const had = map.get(r.code);
    if (!had || had.version < r.version) map.set(r.code, r);
  }
  return map;
}

export function useRuns() {
  return useQuery({
    queryKey: [KEY, 'runs'],
    queryFn: ({ signal }) => api<{ items: AuditRun[]; page: number; hasMore: boolean }>('/api/smart-audit/runs', { signal }),
  });
}

export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (date: string) => api<RunResult>('/api/smart-audit/runs', { method: 'POST', body: { date } }),
    meta: { silent: true },
    onSuccess: () => void client.invalidateQueries({ queryKey: [KEY] }),
  });
}

export interface FindingFilters {
  status?: FindingStatus;
  rule?: string;
  institutionId?: string;
  from?: string;
  to?: string;
}

export function useFindings(filters: FindingFilters, page: number) {
  return useQuery({
    queryKey: [KEY, 'findings', filters, page],
    queryFn: ({ signal }) => api<PageOf<FindingSummary>>('/api/smart-audit/findings', { query: { ...filters, page }, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useFinding(id: string | null) {
  return useQuery({
    queryKey: [KEY, 'finding', id],
    queryFn: ({ signal }) => api<FindingDetail>(`/api/smart-audit/findings/${id}`, { signal }),
    enabled: id !== null,
  });
}

export type Decision =
  | { kind: 'confirm'; deductionFen: number; against: DeductionAgainst; reason?: string }
  | { kind: 'dismiss'; reason: string }
  | { kind: 'reopen'; reason: string };

export function useDecide(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: Decision) => api<FindingDetail>(`/api/smart-audit/findings/${id}/${kind}`, { method: 'POST', body }),
    meta: { silent: true },
    onSuccess: (detail) => {
      client.setQueryData([KEY, 'finding', id], detail);
      void client.invalidateQueries({ queryKey: [KEY, 'findings'] });
      void client.invalidateQueries({ queryKey: [KEY, 'summary'] });
    },
  });
}

export function useSamples() {
  return useQuery({
    queryKey: [KEY, 'samples'],
    queryFn: ({ signal }) => api<{ items: SampleSummary[] }>('/api/smart-audit/samples', { signal }),
  });
}

export function useSample(id: string | null) {
  return useQuery({
    queryKey: [KEY, 'sample', id],
    queryFn: ({ signal }) => api<SampleDetail>(`/api/smart-audit/samples/${id}`, { signal }),
    enabled: id !== null,
  });
}

export function useDrawSample() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { from: string; to: string; rateBp?: number; size?: number; seed?: number }) => api<SampleDetail>('/api/smart-audit/samples', { method: 'POST', body }),
    meta: { silent: true },
    onSuccess: (sample) => {
      client.setQueryData([KEY, 'sample', sample.id], sample);
      void client.invalidateQueries({ queryKey: [KEY, 'samples'] });
    },
  });
}

export function useMarkSampleClaim(sampleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ claimId, ...body }: { claimId: string; result: SampleResult; errorAmountFen?: number; note?: string }) =>
      api<SampleDetail>(`/api/smart-audit/samples/${sampleId}/claims/${claimId}`, { method: 'POST', body }),
    meta: { silent: true },
    onSuccess: (sample) => {
      client.setQueryData([KEY, 'sample', sampleId], sample);
      void client.invalidateQueries({ queryKey: [KEY, 'samples'] });
    },
  });
}

export function useCloseSample(sampleId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<SampleDetail>(`/api/smart-audit/samples/${sampleId}/close`, { method: 'POST', body: {} }),
    meta: { silent: true },
    onSuccess: (sample) => {
      client.setQueryData([KEY, 'sample', sampleId], sample);
      void client.invalidateQueries({ queryKey: [KEY, 'samples'] });
    },
  });
}

export interface SummaryQuery {
  from: string;
  to: string;
  by: SummaryBy;
  sort?: string;
  order?: 'asc' | 'desc';
}

export function useSummary(query: SummaryQuery) {
  return useQuery({
    queryKey: [KEY, 'summary', query],
    queryFn: ({ signal }) => api<Summary>('/api/smart-audit/summary', { query: { ...query }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The same summary as the server's CSV (a link: the browser downloads it with the session cookie). */
export function summaryCsvHref(query: SummaryQuery): string {
  const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)), format: 'csv' });
  return `/api/smart-audit/summary?${params.toString()}`;
}

interface DrugName {
  code: string;
  genericNameZh: string;
  genericNameEn: string;
}
interface InstitutionName {
  id: string;
  name: string;
  level: string;
}

/** The drug catalogue and the caller's county's institutions, to name what the evidence holds by code or id. */
export function useEvidenceNames() {
  const drugs = useQuery({
    queryKey: ['drugs', 'all'],
    queryFn: ({ signal }) => api<DrugName[]>('/api/drugs', { signal }),
    staleTime: 60 * 60_000,
  });
  const institutions = useInstitutions();
  const byCode = new Map((drugs.data ?? []).map((d) => [d.code, d]));
  const byId = new Map((institutions.data ?? []).map((i) => [i.id, i.name]));
  return {
    drug: (code: string) => {
      const d = byCode.get(code);
      return d ? (currentLanguage() === 'en-US' ? d.genericNameEn : d.genericNameZh) : code;
    },
    institution: (id: string) => byId.get(id) ?? '',
  };
}

/** The caller's county's institutions (all for a system administrator), for filters and names. */
export function useInstitutions() {
  return useQuery({
    queryKey: ['institutions', 'county'],
    queryFn: ({ signal }) => api<InstitutionName[]>('/api/institutions', { signal }),
    staleTime: 10 * 60_000,
  });
}
