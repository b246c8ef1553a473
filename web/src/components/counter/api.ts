// The counter's calls to the settlement API, as react-query hooks, and the idempotency key of a purchase.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, NETWORK_ERROR_STATUS, api } from '../../api.ts';
import { actionErrorLines } from '../../formErrors.ts';
import i18n from '../../i18n/index.ts';
import { errorLines } from '../../notify.ts';
import type { Drug } from '../../types.ts';
import type { ClaimInput, PersonClaims, Quote, SettleInput, Settlement, SettlementDay } from './types.ts';

const HOUR = 60 * 60_000;

/** Query keys whose answers change when a claim is settled or reversed. */
const AFTER_CLAIM_KEYS = ['settlement-quote', 'person-claims', 'settlement'];

/**
 * One key per purchase. crypto.randomUUID exists only in secure contexts (https, localhost); a counter
 * PC reaching the server over plain http on the LAN still gets a random v4 UUID from getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The value, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The whole chronic-disease drug list (both diseases), in catalogue order. */
export function useCounterDrugs() {
  return useQuery({
    queryKey: ['drugs', 'all'],
    queryFn: ({ signal }) => api<Drug[]>('/api/drugs', { signal }),
    staleTime: HOUR,
  });
}

/** 试算 of the lines as they stand; null input: nothing to quote yet. Errors are shown by the quote panel. */
export function useQuote(input: ClaimInput | null) {
  return useQuery({
    queryKey: ['settlement-quote', input],
    queryFn: ({ signal }) => api<Quote>('/api/settlements/quote', { method: 'POST', body: input, signal }),
    enabled: input !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
    meta: { silent: true },
  });
}

export function usePersonClaims(personId: string | null, year: number, enabled = true) {
  return useQuery({
    queryKey: ['person-claims', personId, year],
    queryFn: ({ signal }) => api<PersonClaims>(`/api/people/${encodeURIComponent(personId ?? '')}/claims`, { query: { year }, signal }),
    enabled: enabled && personId !== null,
    staleTime: 0,
    meta: { silent: true },
  });
}

/** 日结: the caller's institution's settlements and reversals of a day. */
export function useSettlementDay(date: string) {
  return useQuery({
    queryKey: ['settlement', 'day', date],
    queryFn: ({ signal }) => api<SettlementDay>(`/api/settlements/day?date=${encodeURIComponent(date)}`, { signal }),
    meta: { silent: true },
  });
}

export function useSettlement(id: string | undefined) {
  return useQuery({
    queryKey: ['settlement', id],
    queryFn: ({ signal }) => api<Settlement>(`/api/settlements/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: Boolean(id),
    meta: { silent: true },
  });
}

function useAfterClaim() {
  const client = useQueryClient();
  return (settlement: Settlement) => {
    client.setQueryData(['settlement', settlement.id], settlement);
    for (const key of AFTER_CLAIM_KEYS) void client.invalidateQueries({ queryKey: [key], refetchType: 'active' });
  };
}

/** An answer that leaves it open whether the server stored the claim: the same key must be sent again. */
export function isUncertain(error: unknown): boolean {
  return error instanceof ApiError && (error.status === NETWORK_ERROR_STATUS || error.status >= 500);
}

/**
 * 结算. The idempotency key travels with the body, so react-query's own retries (network errors only)
 * and the cashier's retries can never pay twice: the server answers a known key with the first claim.
 */
export function useSettle() {
  const afterClaim = useAfterClaim();
  return useMutation({
    mutationFn: (input: SettleInput) => api<Settlement>('/api/settlements', { method: 'POST', body: input }),
    retry: (failures, error) => error instanceof ApiError && error.status === NETWORK_ERROR_STATUS && failures < 2,
    retryDelay: (attempt) => 800 * 2 ** attempt,
    meta: { silent: true },
    onSuccess: afterClaim,
  });
}

/** 冲正/退费 with a reason. */
export function useReverse() {
  const afterClaim = useAfterClaim();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api<Settlement>(`/api/settlements/${encodeURIComponent(id)}/reverse`, { method: 'POST', body: { reason } }),
    meta: { silent: true },
    onSuccess: afterClaim,
  });
}

/** Which line (0-based) a problem's field names, e.g. body.lines.2.quantity → 2. */
export function lineIndexOf(field: string): number | null {
  const m = /(?:^|\.)lines\.(\d+)(?:\.|$)/.exec(field);
  return m ? Number(m[1]) : null;
}

/**
 * Lines for an error of the settlement API, in the user's language where the rule is known here:
 * "第 2 行：…" for a line's field, the rule's text for a 409, else the server's own words.
 */
export function counterErrorLines(error: unknown): string[] {
  if (!(error instanceof ApiError)) return errorLines(error);
  const problems = error.problem.errors ?? [];
  if (!problems.length) return errorLines(error);
  const out: string[] = [];
  for (const p of problems) {
    const ruleKey = `counter.rules.${p.rule}`;
    const text = i18n.exists(ruleKey) ? i18n.t(ruleKey) : (actionErrorLines(new ApiError({ ...error.problem, errors: [p] }))[0] ?? p.message);
    const index = lineIndexOf(p.field);
    const line = index === null ? text : i18n.t('counter.errors.onLine', { n: index + 1, text });
    if (!out.includes(line)) out.push(line);
  }
  return out;
}
