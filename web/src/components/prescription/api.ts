// Queries and calls of the prescription screens (doctor and patient).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Drug, Institution, PersonDetail } from '../../types.ts';
import type { FillPlace, Prescription, PrescriptionBody, PrescriptionItem, RenewalRequest, TeamRenewalRequest } from './types.ts';

const HOUR = 60 * 60_000;

export const PRESCRIPTIONS_KEY = 'prescriptions';

export function usePersonPrescriptions(personId: string | null | undefined) {
  return useQuery({
    queryKey: [PRESCRIPTIONS_KEY, 'person', personId],
    queryFn: ({ signal }) => api<{ items: PrescriptionItem[] }>(`/api/people/${encodeURIComponent(personId ?? '')}/prescriptions`, { query: { limit: 100 }, signal }),
    enabled: !!personId,
  });
}

export function usePrescription(id: string | null | undefined) {
  return useQuery({
    queryKey: [PRESCRIPTIONS_KEY, 'detail', id],
    queryFn: ({ signal }) => api<Prescription>(`/api/prescriptions/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: !!id,
  });
}

export function useTeamRenewalRequests() {
  return useQuery({
    queryKey: [PRESCRIPTIONS_KEY, 'team-renewal-requests'],
    queryFn: ({ signal }) => api<{ items: TeamRenewalRequest[] }>('/api/team/renewal-requests', { signal }),
  });
}

export function useMyRenewalRequests() {
  return useQuery({
    queryKey: [PRESCRIPTIONS_KEY, 'my-renewal-requests'],
    queryFn: ({ signal }) => api<{ items: RenewalRequest[] }>('/api/me/renewal-requests', { signal }),
  });
}

export function useMyPerson() {
  return useQuery({
    queryKey: ['people', 'me'],
    queryFn: ({ signal }) => api<PersonDetail>('/api/people/me', { signal }),
    meta: { silent: true },
  });
}

export interface CatalogueDrug extends Drug {
  lists: string[];
}

/** The whole drug catalogue (the picker narrows it by the patient's diseases, or to the tertiary list for 延伸处方). */
export function useAllDrugs() {
  return useQuery({
    queryKey: ['drugs', 'all'],
    queryFn: ({ signal }) => api<CatalogueDrug[]>('/api/drugs', { signal }),
    staleTime: HOUR,
  });
}

/** The city's tertiary hospitals, which start the prescriptions a community doctor extends. */
export function useHospitals(enabled: boolean) {
  return useQuery({
    queryKey: ['institutions', 'tertiary'],
    queryFn: ({ signal }) => api<Institution[]>('/api/institutions', { query: { level: 'tertiary' }, signal }),
    staleTime: HOUR,
    enabled,
  });
}

export const savePrescription = (body: PrescriptionBody, id?: string) =>
  id ? api<Prescription>(`/api/prescriptions/${id}`, { method: 'PUT', body }) : api<Prescription>('/api/prescriptions', { method: 'POST', body });

export const submitPrescription = (id: string) => api<Prescription>(`/api/prescriptions/${id}/submit`, { method: 'POST' });

export const cancelPrescription = (id: string, reason: string) => api<Prescription>(`/api/prescriptions/${id}/cancel`, { method: 'POST', body: { reason } });

export const choosePlace = (id: string, body: { fillPlace: FillPlace; fillInstitutionId?: string | null; deliveryAddress?: string | null }) =>
  api<Prescription>(`/api/prescriptions/${id}/place`, { method: 'PUT', body });

export const requestRenewal = (id: string, note: string | null) =>
  api<{ id: string; status: 'open' }>(`/api/prescriptions/${id}/renewal-requests`, { method: 'POST', body: note ? { note } : {} });

export const declineRenewal = (id: string, reason: string) => api<void>(`/api/renewal-requests/${id}/decline`, { method: 'POST', body: { reason } });

/** After any change: the lists, the detail and the requests read again. */
export function useRefreshPrescriptions() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: [PRESCRIPTIONS_KEY] });
}
