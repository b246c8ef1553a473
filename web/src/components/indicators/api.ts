// The dashboard's calls: a period's indicators (GET /api/indicators, one request per period, shared by the
// cards and the quarter's point of the trend), the patients behind a number (GET /api/indicators/patients)
// and the quarterly workbook's download (GET /api/reports/quarterly, src/modules/reports).
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api.ts';
import type { IndicatorPatientPage, IndicatorReport, PatientGroup, PatientIndicator, ScopeLevel } from '../../pages/indicators/types.ts';
import { downloadBlob } from './csv.ts';

export const QUARTERS = [1, 2, 3, 4] as const;

/** The first and last day of a year or one of its quarters. */
export function periodBounds(year: number, quarter: number | null): { start: string; end: string } {
  if (quarter === null) return { start: `${year}-01-01`, end: `${year}-12-31` };
  const first = (quarter - 1) * 3 + 1;
  const lastMonth = first + 2;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { start: `${year}-${mm(first)}-01`, end: `${year}-${mm(lastMonth)}-${lastDay}` };
}

/** The server refuses a period that has not begun: the pickers and the trend never ask for one. */
export const hasBegun = (year: number, quarter: number | null, today: string): boolean => periodBounds(year, quarter).start <= today;

const indicatorsKey = (year: number, quarter: number | null) => ['indicators', year, quarter ?? 'year'] as const;

function fetchIndicators(year: number, quarter: number | null, signal: AbortSignal) {
  // no county: the analyst's whole city; a reviewer's own county (the server's default for the role)
  return api<IndicatorReport>('/api/indicators', { query: { year, quarter }, signal });
}

export function useIndicators(year: number, quarter: number | null, enabled: boolean) {
  return useQuery({
    queryKey: indicatorsKey(year, quarter),
    queryFn: ({ signal }) => fetchIndicators(year, quarter, signal),
    enabled,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    meta: { silent: true }, // the page shows the error itself
  });
}

/** The four quarters of a year, one request each (the quarters not yet begun are not asked for: null). */
export function useQuarterReports(year: number, today: string) {
  return useQueries({
    queries: QUARTERS.map((q) => ({
      queryKey: indicatorsKey(year, q),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchIndicators(year, q, signal),
      enabled: hasBegun(year, q, today),
      staleTime: 60_000,
      meta: { silent: true },
    })),
  });
}

export interface PatientQuery {
  year: number;
  quarter: number | null;
  level: ScopeLevel;
  code: string;
  indicator: PatientIndicator;
  group: PatientGroup;
  page: number;
  pageSize: number;
}

export function useIndicatorPatients(q: PatientQuery | null) {
  return useQuery({
    queryKey: ['indicators', 'patients', q],
    queryFn: ({ signal }) => api<IndicatorPatientPage>('/api/indicators/patients', { query: { ...q! }, signal }),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    meta: { silent: true }, // a 403 is said in the drawer, politely
  });
}

export function workbookHref(year: number, quarter: number, county: string | null): string {
  const params = new URLSearchParams({ year: String(year), quarter: String(quarter) });
  if (county) params.set('county', county);
  params.set('format', 'xlsx');
  return `/api/reports/quarterly?${params}`;
}

/** The file name the server gives (Content-Disposition), else one of ours. */
function fileNameOf(response: Response, fallback: string): string {
  const cd = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      /* fall through */
    }
  }
  return /filename="([^"]+)"/i.exec(cd)?.[1] ?? fallback;
}

/** Downloads the quarterly workbook; a refusal (problem+json) is thrown as an ApiError for the page to say. */
export async function downloadWorkbook(year: number, quarter: number, county: string | null): Promise<void> {
  let response: Response;
  try {
    response = await fetch(workbookHref(year, quarter, county), { credentials: 'include', headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/problem+json' } });
  } catch {
    throw new ApiError({ status: 0, title: 'Network error' });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError({ ...problem, status: response.status, title: problem.title ?? response.statusText });
  }
  const blob = await response.blob();
  downloadBlob(fileNameOf(response, `manbing-quarterly-${year}Q${quarter}${county ? `-${county}` : ''}.xlsx`), blob);
}
