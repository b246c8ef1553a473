// The payment screens' calls (src/modules/payments/routes.ts): a period's run (GET /api/payments), a stored
// run recomputed (GET /api/payments/runs/:id), the claims and the smart audit's recoveries behind a
// township's or a community's figure, a team's contracted residents, and the workbook's download (GET /api/payments/export).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api.ts';
import type { ClaimPool, ContractedPage, PaymentClaimPage, PaymentRecoveryPage, PaymentReport, QuarterTrend, StoredPaymentReport } from '../../pages/payments/types.ts';
import { downloadBlob } from '../indicators/csv.ts';

export interface PeriodQuery {
  year: number;
  /** null: the whole year (to date while it runs). */
  quarter: number | null;
  /** null: the analyst's city; a reviewer's own county is the server's default. */
  county: string | null;
}

const queryOf = (q: PeriodQuery) => ({ year: q.year, quarter: q.quarter ?? undefined, county: q.county ?? undefined });

export function usePayments(q: PeriodQuery, enabled: boolean) {
  return useQuery({
    queryKey: ['payments', q.year, q.quarter ?? 'year', q.county ?? 'all'],
    queryFn: ({ signal }) => api<PaymentReport>('/api/payments', { query: queryOf(q), signal }),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    meta: { silent: true }, // the page shows the error itself
  });
}

/** The year's quarters so far, each its own run: the contract fee's and the work equivalents' trend. */
export function useQuarters(year: number, county: string | null) {
  return useQuery({
    queryKey: ['payments', 'quarters', year, county ?? 'all'],
    queryFn: ({ signal }) => api<QuarterTrend>('/api/payments/quarters', { query: { year, county: county ?? undefined }, signal }),
    staleTime: 60_000,
    meta: { silent: true },
  });
}

/** The stored run read back and recomputed from its own parameters and inputs. */
export function useRunVerification(id: string | null, county: string | null) {
  return useQuery({
    queryKey: ['payments', 'run', id, county ?? 'all'],
    queryFn: ({ signal }) => api<StoredPaymentReport>(`/api/payments/runs/${encodeURIComponent(id ?? '')}`, { query: { county: county ?? undefined }, signal }),
    enabled: id !== null,
    staleTime: Infinity,
    meta: { silent: true },
  });
}

export interface ClaimsQuery {
  year: number;
  quarter: number | null;
  model: 'capitation' | 'budget';
  /** A town code (capitation) or a medical community's id (budget). */
  code: string;
  pool: ClaimPool | null;
  /** YYYY-MM, or null for the year to the state day. */
  month: string | null;
  page: number;
  pageSize: number;
}

export function usePaymentClaims(q: ClaimsQuery | null) {
  return useQuery({
    queryKey: ['payments', 'claims', q],
    queryFn: ({ signal }) =>
      api<PaymentClaimPage>('/api/payments/claims', {
        query: { year: q!.year, quarter: q!.quarter ?? undefined, model: q!.model, code: q!.code, pool: q!.pool ?? undefined, month: q!.month ?? undefined, page: q!.page, pageSize: q!.pageSize },
        signal,
      }),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

/** The smart audit's recoveries behind a township's or a community's figure, year to the state day. */
export function useRecoveries(q: { year: number; quarter: number | null; model: 'capitation' | 'budget'; code: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['payments', 'recoveries', q],
    queryFn: ({ signal }) =>
      api<PaymentRecoveryPage>('/api/payments/recoveries', { query: { year: q.year, quarter: q.quarter ?? undefined, model: q.model, code: q.code, page: q.page, pageSize: q.pageSize }, signal }),
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

export function useContracted(q: { year: number; quarter: number | null; team: string; page: number; pageSize: number } | null) {
  return useQuery({
    queryKey: ['payments', 'contracted', q],
    queryFn: ({ signal }) =>
      api<ContractedPage>('/api/payments/contracted', { query: { year: q!.year, quarter: q!.quarter ?? undefined, team: q!.team, page: q!.page, pageSize: q!.pageSize }, signal }),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

export function exportHref(q: PeriodQuery): string {
  const params = new URLSearchParams({ year: String(q.year) });
  if (q.quarter !== null) params.set('quarter', String(q.quarter));
  if (q.county) params.set('county', q.county);
  return `/api/payments/export?${params}`;
}

/** The file name the server gives (Content-Disposition), else ours. */
function fileNameOf(response: Response, fallback: string): string {
  const cd = response.headers.get('content-disposition') ?? '';
  return /filename="([^"]+)"/i.exec(cd)?.[1] ?? fallback;
}

/** Downloads the run's workbook; a refusal (problem+json) is thrown as an ApiError for the page to say. */
export async function downloadPayments(q: PeriodQuery): Promise<void> {
  let response: Response;
  try {
    response = await fetch(exportHref(q), { credentials: 'include', headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json' } });
  } catch {
    throw new ApiError({ status: 0, title: 'Network error' });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError({ ...problem, status: response.status, title: problem.title ?? response.statusText });
  }
  const blob = await response.blob();
  downloadBlob(fileNameOf(response, `payments-${q.year}${q.quarter ? `-q${q.quarter}` : ''}${q.county ? `-${q.county}` : ''}.xlsx`), blob);
}
