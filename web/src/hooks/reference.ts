// Queries shared by several screens: catalogues (service packages, drugs, pharmacies), the doctor's
// team, a person's contracts and the eligibility answer for a day.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import type { Contract, Drug, Eligibility, Institution, ServicePackage, Team } from '../types.ts';

const HOUR = 60 * 60_000;

export function useServicePackages() {
  return useQuery({
    queryKey: ['service-packages'],
    queryFn: ({ signal }) => api<ServicePackage[]>('/api/service-packages', { signal }),
    staleTime: HOUR,
  });
}

export function usePharmacies(enabled = true) {
  return useQuery({
    queryKey: ['institutions', 'pharmacy'],
    queryFn: ({ signal }) => api<Institution[]>('/api/institutions', { query: { kind: 'pharmacy' }, signal }),
    staleTime: HOUR,
    enabled,
  });
}

export function useMyTeam(enabled = true) {
  return useQuery({
    queryKey: ['teams', 'mine'],
    queryFn: ({ signal }) => api<Team>('/api/teams/mine', { signal }),
    enabled,
  });
}

/** `personId` 'me' asks for the signed-in patient's own record. */
export function useContracts(personId: string | null) {
  return useQuery({
    queryKey: ['contracts', personId],
    queryFn: ({ signal }) => api<Contract[]>(`/api/people/${encodeURIComponent(personId ?? '')}/contracts`, { signal }),
    enabled: personId !== null,
  });
}

export function useEligibility(personId: string | null, date: string) {
  return useQuery({
    queryKey: ['eligibility', personId, date],
    queryFn: ({ signal }) =>
      api<Eligibility>(`/api/people/${encodeURIComponent(personId ?? '')}/eligibility`, { query: { date }, signal }),
    enabled: personId !== null,
  });
}

/** Drugs treating any of the diseases, merged and in catalogue order, with a lookup by code. */
export function useDrugCatalogue(diseases: readonly string[]) {
  const results = useQueries({
    queries: [...new Set(diseases)].sort().map((disease) => ({
      queryKey: ['drugs', disease],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Drug[]>('/api/drugs', { query: { disease }, signal }),
      staleTime: HOUR,
      meta: { silent: true },
    })),
  });
  const byCode = new Map<string, Drug>();
  for (const r of results) for (const d of r.data ?? []) byCode.set(d.code, d);
  const drugs = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  return { drugs, byCode, loading: results.some((r) => r.isPending) };
}
