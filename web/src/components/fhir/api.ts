// FHIR data exchange over HTTP (docs/fhir.md): POST /fhir with a bundle's text as application/fhir+json,
// answered by the import's report (200) or an OperationOutcome (400: the bundle refused, nothing written);
// the bulk export's jobs (GET /fhir/$export-status, polled every 2 s while one runs), its kick-off
// (GET /fhir/Group/:county/$export) and removal (DELETE /fhir/$export-status/:id). The shapes are the
// server's (src/modules/fhir/import.ts, exportJobs.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, NETWORK_ERROR_STATUS, api } from '../../api.ts';
import type { Problem } from '../../types.ts';
import type { Region } from '../regionOptions.ts';

export type Counts = { diagnoses: number; readings: number; medications: number };
export const COUNT_KINDS = ['diagnoses', 'readings', 'medications'] as const;

export interface PatientReport {
  sourceId: string;
  idNumber: string | null;
  matchedBy: 'resident_id' | 'id_map' | null;
  outsideScope?: true;
  differences: Array<{ field: 'name' | 'sex' | 'birth_date'; roster: string; source: string }>;
  imported: Counts;
  unchanged: Counts;
  unmapped: string[];
  skipped: Array<{ resourceType: string; sourceId: string; reason: string }>;
}
export interface BundleReport {
  source: string;
  faults: Array<{ entry: number | null; message: string }>;
  read: Record<string, number>;
  notImported: Record<string, number>;
  patients: PatientReport[];
}
export interface ImportReport {
  importId: string | null;
  bundles: BundleReport[];
  totals: {
    read: Record<string, number>;
    imported: Counts;
    unchanged: Counts;
    skipped: number;
    notImported: Record<string, number>;
    unmatchedPatients: number;
    outsideScopePatients: number;
    refusedBundles: number;
  };
}

export interface OutcomeIssue {
  severity: string;
  code: string;
  diagnostics: string;
  expression?: string[];
}
export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: OutcomeIssue[];
}

/** What POST /fhir answered: the report, or the OperationOutcome of a refused bundle. */
export type ImportAnswer = { kind: 'report'; report: ImportReport } | { kind: 'refused'; outcome: OperationOutcome };

const isOutcome = (v: unknown): v is OperationOutcome =>
  !!v && typeof v === 'object' && (v as { resourceType?: unknown }).resourceType === 'OperationOutcome' && Array.isArray((v as { issue?: unknown }).issue);

/**
 * Sends a bundle's text as it is (the server reads it, so a file that is not JSON is refused with its
 * OperationOutcome like any other fault). Other failures — no session, too large, not allowed — are the
 * app's problem+json errors (ApiError).
 */
export async function postBundle(text: string): Promise<ImportAnswer> {
  let response: Response;
  try {
    response = await fetch('/fhir', {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json, application/json, application/problem+json' },
      body: text,
      credentials: 'include',
    });
  } catch {
    throw new ApiError({ status: NETWORK_ERROR_STATUS, title: 'Network error' });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await response.text());
  } catch {
    payload = undefined;
  }
  if (response.ok) return { kind: 'report', report: payload as ImportReport };
  if (response.status === 400 && isOutcome(payload)) return { kind: 'refused', outcome: payload };
  // the session is gone: the app's own probe hands it to the sign-in redirect
  if (response.status === 401) void api('/api/auth/me').catch(() => undefined);
  const problem: Problem = payload && typeof payload === 'object' ? { ...(payload as Partial<Problem>), status: response.status } : { status: response.status, title: response.statusText || `HTTP ${response.status}` };
  throw new ApiError(problem);
}

export interface ExportFile {
  type: string;
  file: string;
  count: number;
}
export interface ExportJob {
  id: string;
  county: string;
  requestedBy: string;
  requestedAt: string;
  status: 'running' | 'completed' | 'failed';
  personsDone: number;
  finishedAt: string | null;
  report: { county: string; persons: number; resources: number; files: ExportFile[]; seconds: number } | null;
  error: string | null;
}

/** A completed export's file, as its manifest names it (fetched with the same session cookie). */
export const exportFileUrl = (job: Pick<ExportJob, 'id'>, type: string) => `/fhir/$export-file/${job.id}/${encodeURIComponent(type)}.ndjson`;

const JOBS_KEY = ['fhir', 'exports'] as const;
export const POLL_MS = 2000;

/** The recent export jobs; asked again every 2 s while any of them runs. */
export function useExportJobs(enabled: boolean) {
  return useQuery({
    queryKey: JOBS_KEY,
    queryFn: ({ signal }) => api<ExportJob[]>('/fhir/$export-status', { signal }),
    enabled,
    refetchInterval: (query) => (query.state.data?.some((j) => j.status === 'running') ? POLL_MS : false),
    meta: { silent: true },
  });
}

export function useStartExport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (county: string) => api<{ id: string }>(`/fhir/Group/${encodeURIComponent(county)}/$export`),
    onSuccess: () => client.invalidateQueries({ queryKey: JOBS_KEY }),
    meta: { silent: true },
  });
}

export function useDeleteExport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<null>(`/fhir/$export-status/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: JOBS_KEY }),
  });
}


/** The region catalogue (the directory's), for the export's county picker and the jobs' county names. */
export function useRegions(enabled: boolean) {
  return useQuery({
    queryKey: ['admin', 'regions'],
    queryFn: ({ signal }) => api<Region[]>('/api/admin/regions', { signal }),
    staleTime: 60 * 60_000,
    enabled,
    meta: { silent: true },
  });
}
