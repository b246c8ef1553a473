// Queries and calls of the referral screens (family doctor and hospital doctor).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { AcceptBody, Box, Destination, DownReferralBody, Referral, ReferralItem, UpReferralBody } from './types.ts';

const HOUR = 60 * 60_000;

export const REFERRALS_KEY = 'referrals';

export function useReferrals(box: Box, enabled = true) {
  return useQuery({
    queryKey: [REFERRALS_KEY, 'box', box],
    queryFn: ({ signal }) => api<{ total: number; items: ReferralItem[] }>('/api/referrals', { query: { box, limit: 100 }, signal }),
    enabled,
  });
}

/** A patient's referrals, newest first (the chart's entry point looks for one in force). */
export function usePersonReferrals(personId: string | null | undefined) {
  return useQuery({
    queryKey: [REFERRALS_KEY, 'person', personId],
    queryFn: ({ signal }) => api<{ items: ReferralItem[] }>(`/api/people/${encodeURIComponent(personId ?? '')}/referrals`, { signal }),
    enabled: !!personId,
    meta: { silent: true },
  });
}

export function useReferral(id: string | null | undefined) {
  return useQuery({
    queryKey: [REFERRALS_KEY, 'detail', id],
    queryFn: ({ signal }) => api<Referral>(`/api/referrals/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: !!id,
  });
}

/** The secondary and tertiary hospitals a family doctor may refer to. */
export function useDestinations(enabled: boolean) {
  return useQuery({
    queryKey: [REFERRALS_KEY, 'destinations'],
    queryFn: ({ signal }) => api<{ items: Destination[] }>('/api/referrals/destinations', { signal }),
    staleTime: HOUR,
    enabled,
  });
}

export const createReferral = (body: UpReferralBody) => api<Referral>('/api/referrals', { method: 'POST', body });
export const acceptReferral = (id: string, body: AcceptBody) => api<Referral>(`/api/referrals/${id}/accept`, { method: 'POST', body });
export const declineReferral = (id: string, reason: string) => api<Referral>(`/api/referrals/${id}/decline`, { method: 'POST', body: { reason } });
export const attendReferral = (id: string) => api<Referral>(`/api/referrals/${id}/attend`, { method: 'POST', body: {} });
export const completeReferral = (id: string) => api<Referral>(`/api/referrals/${id}/complete`, { method: 'POST', body: {} });
export const createDownReferral = (body: DownReferralBody) => api<Referral>('/api/referrals/down', { method: 'POST', body });
/** The continue lines as an extended prescription (延伸处方), filled at the team's own institution. */
export const extendReferral = (id: string) =>
  api<{ prescriptionId: string; referral: Referral }>(`/api/referrals/${id}/extend`, { method: 'POST', body: { fillPlace: 'own' } });

/** After any change: every box and the detail read again (an extension also changes the prescriptions). */
export function useRefreshReferrals() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: [REFERRALS_KEY] });
    void client.invalidateQueries({ queryKey: ['prescriptions'] });
  };
}
