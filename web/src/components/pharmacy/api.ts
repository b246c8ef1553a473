// The pharmacist's calls of issue 14 (src/modules/prescriptions, dispensing, stock) as react-query hooks,
// and the shapes of their answers as these screens use them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api.ts';
import type { PrescriptionLineView } from '../prescription/types.ts';
import { ruleText } from '../../i18n/problems.ts';
import i18n from '../../i18n/index.ts';
import { errorLines } from '../../notify.ts';
import type { Frequency } from '../../types.ts';
import type { Quote, Settlement } from '../counter/types.ts';

export type RxStatus = 'draft' | 'submitted' | 'under_review' | 'approved' | 'returned' | 'partly_dispensed' | 'dispensed' | 'expired' | 'cancelled';
export type FillPlace = 'own' | 'pharmacy' | 'delivery';

export interface RxInstitution {
  id: string;
  code: string;
  name: string;
  level: string;
}

export interface ReviewQueueItem {
  id: string;
  personId: string;
  personName: string;
  idNumber: string;
  prescriptionNo: string;
  origin: string;
  status: RxStatus;
  writtenOn: string;
  daysSupply: number;
  submittedAt: string;
  fillPlace: FillPlace;
  institution: string;
  doctor: string;
  reviewer: string | null;
  blocking: number;
  warnings: number;
}

export interface OnHand {
  drugCode: string;
  classes: string[];
  daysLeft: number;
  coveredUntil: string;
  dispenses: Array<{ dispensedOn: string; daysCovered: number; place: string }>;
}

/** A pre-check finding (src/engine/prescription/review.ts); `line` counts from 1, evidence lines inside from 0. */
export interface Finding {
  code: string;
  severity: 'block' | 'warn';
  line: number | null;
  text: string;
  drugCode?: string;
  reference?: string;
  seed?: { seed: string; item: string };
  evidence?: Record<string, unknown> & {
    onHand?: OnHand;
    classes?: string[];
    withLine?: number;
    withDrugCode?: string;
  };
}

/** A prescription line as the prescription view gives it (the doctor's screens read the same). */
export type RxLine = PrescriptionLineView;

export interface RxDispense {
  id: string;
  status: 'dispensed' | 'returned' | string;
  delivery: boolean;
  dispensedAt: string;
  returnedAt: string | null;
  returnReason: string | null;
  institution: { id: string; name: string };
  by: string;
  claimId: string;
  settlementNo: string;
  amountFen: number;
  fundPayFen: number;
  lines: Array<{ prescriptionLineNo: number; drugCode: string; batchNo: string; expiryDate: string; quantity: number }>;
}

export interface Prescription {
  id: string;
  prescriptionNo: string;
  origin: string;
  status: RxStatus;
  person: { id: string; name: string; sex: string; idNumber: string; insuranceType: string };
  institution: RxInstitution;
  doctor: string;
  writtenOn: string;
  validUntil: string;
  daysSupply: number;
  stableReason: string | null;
  source: { prescriptionNo: string; institution: RxInstitution | null } | null;
  fillPlace: FillPlace;
  fillInstitution: RxInstitution;
  deliveryAddress: string | null;
  findings: Finding[];
  reviewNote: string | null;
  overrideReason: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  lines: RxLine[];
  dispenses: RxDispense[];
  history: Array<{ at: string; action: string; from: string | null; to: string; reason: string | null; by: string | null }>;
}

export interface FillQueueItem {
  id: string;
  personId: string;
  personName: string;
  idNumber: string;
  prescriptionNo: string;
  origin: string;
  status: RxStatus;
  writtenOn: string;
  validUntil: string;
  daysSupply: number;
  approvedAt: string | null;
  fillPlace: FillPlace;
  deliveryAddress: string | null;
  institution: string;
}

export interface PersonRx {
  id: string;
  prescriptionNo: string;
  origin: string;
  status: RxStatus;
  writtenOn: string;
  validUntil: string;
  daysSupply: number;
  fillPlace: FillPlace;
  institution: string;
  fillInstitution: string;
  doctor: string;
  drugs: string[];
  remainingPacks: number;
}

export interface FillLine {
  lineNo: number;
  quantity: number;
}

export interface DispenseQuote {
  lines: Array<{ lineNo: number; drugCode: string; quantity: number; daysSupply: number }>;
  quote: Quote;
}

export interface DispenseResult {
  replayed: boolean;
  dispenseId: string;
  settlement: Settlement;
  prescription: Prescription;
}

export interface StockBatch {
  batchNo: string;
  expiryDate: string;
  received: number;
  onHand: number;
  expired: boolean;
}

export interface StockItem {
  drugCode: string;
  drugName: string;
  drugNameEn: string;
  strength: string;
  packSize: number;
  unit: string;
  chronic: boolean;
  onHand: number;
  received: number;
  dispensed: number;
  adjusted: number;
  expired: number;
  patients: number;
  patientDays: number | null;
  low: boolean;
  batches: StockBatch[];
}

export interface Stock {
  institution: RxInstitution;
  lowStockDays: number;
  items: StockItem[];
}

export interface StockRate {
  institution: { id: string; name: string };
  upperInstitution: { id: string; name: string };
  drugList: string;
  targetBp: number;
  rateBp: number | null;
  meetsTarget: boolean | null;
  upperCount: number;
  stockedCount: number;
  missing: Array<{ drugCode: string; drugName: string; drugNameEn: string }>;
}

export interface ReceiptLineInput {
  drugCode: string;
  batchNo: string;
  expiryDate: string;
  quantity: number;
}

/** A rule of these screens' answers in the user's language: this screen's wording first, then the shared one. */
export function pharmacyRuleText(rule: string, message: string): string {
  const key = `pharmacy.rules.${rule}`;
  return i18n.exists(key) ? i18n.t(key) : ruleText(rule, message);
}

/** Lines for an error of these APIs: each rule worded (第 n 行 for a line's field), else the problem's code worded. */
export function pharmacyErrorLines(error: unknown): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return errorLines(error);
  const out: string[] = [];
  for (const p of error.problem.errors) {
    if (p.rule === 'blocking_findings' && error.problem.errors.length > 1) continue;
    const text = pharmacyRuleText(p.rule, p.message);
    const m = /(?:^|\.)lines\.(\d+)(?:\.|$)/.exec(p.field);
    const line = m ? i18n.t('pharmacy.onLine', { n: Number(m[1]) + 1, text }) : text;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

export const hasRule = (error: unknown, rule: string): boolean =>
  error instanceof ApiError && (error.problem.errors ?? []).some((e) => e.rule === rule);

/** One key per hand-over (a v4 UUID; crypto.randomUUID only exists in secure contexts). */
export function newHandOverKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- 审方 ----

export function useReviewQueue() {
  return useQuery({
    queryKey: ['rx', 'review-queue'],
    queryFn: ({ signal }) => api<{ total: number; items: ReviewQueueItem[] }>('/api/prescriptions/review-queue', { query: { limit: 100 }, signal }),
    staleTime: 0,
    meta: { silent: true },
  });
}

/**
 * Opening a prescription for review: the pre-check runs (POST …/review) and its findings are kept; then
 * the prescription itself. Asked once per opening (the server records who took the review).
 */
export function useOpenReview(id: string | null) {
  return useQuery({
    queryKey: ['rx', 'review-open', id],
    queryFn: async ({ signal }) => {
      const { findings } = await api<{ findings: Finding[] }>(`/api/prescriptions/${encodeURIComponent(id ?? '')}/review`, { method: 'POST', signal });
      const prescription = await api<Prescription>(`/api/prescriptions/${encodeURIComponent(id ?? '')}`, { signal });
      return { findings, prescription };
    },
    enabled: id !== null,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    meta: { silent: true },
  });
}

export function useReviewDecision() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (d: { id: string; kind: 'approve'; overrideReason?: string; note?: string } | { id: string; kind: 'return'; reason: string }) =>
      d.kind === 'approve'
        ? api<Prescription>(`/api/prescriptions/${encodeURIComponent(d.id)}/approve`, {
            method: 'POST',
            body: { ...(d.overrideReason ? { overrideReason: d.overrideReason } : {}), ...(d.note ? { note: d.note } : {}) },
          })
        : api<Prescription>(`/api/prescriptions/${encodeURIComponent(d.id)}/return`, { method: 'POST', body: { reason: d.reason } }),
    meta: { silent: true },
    // never the open review itself: asking it again would run the pre-check on a decided prescription
    onSuccess: () => {
      for (const key of [['rx', 'review-queue'], ['rx', 'fill-queue'], ['rx', 'one'], ['rx', 'person']]) void client.invalidateQueries({ queryKey: key });
    },
  });
}

// ---- 处方取药 ----

export function useFillQueue() {
  return useQuery({
    queryKey: ['rx', 'fill-queue'],
    queryFn: ({ signal }) => api<{ items: FillQueueItem[] }>('/api/dispensing/queue', { query: { limit: 200 }, signal }),
    staleTime: 0,
    meta: { silent: true },
  });
}

export function usePersonPrescriptions(personId: string | null) {
  return useQuery({
    queryKey: ['rx', 'person', personId],
    queryFn: ({ signal }) => api<{ items: PersonRx[] }>(`/api/people/${encodeURIComponent(personId ?? '')}/prescriptions`, { signal }),
    enabled: personId !== null,
    staleTime: 0,
    meta: { silent: true },
  });
}

export function usePrescription(id: string | null) {
  return useQuery({
    queryKey: ['rx', 'one', id],
    queryFn: ({ signal }) => api<Prescription>(`/api/prescriptions/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: id !== null,
    staleTime: 0,
    meta: { silent: true },
  });
}

export function useDispenseQuote(id: string | null, lines: FillLine[] | null) {
  return useQuery({
    queryKey: ['rx', 'dispense-quote', id, lines],
    queryFn: ({ signal }) => api<DispenseQuote>(`/api/prescriptions/${encodeURIComponent(id ?? '')}/dispense-quote`, { method: 'POST', body: { lines }, signal }),
    enabled: id !== null && lines !== null && lines.length > 0,
    staleTime: 0,
    retry: false,
    meta: { silent: true },
  });
}

function useAfterStockChange() {
  const client = useQueryClient();
  return () => {
    for (const key of [['rx'], ['stock'], ['person-claims'], ['settlement']]) void client.invalidateQueries({ queryKey: key });
  };
}

/** 发药并结算. The key travels with the body: a retry of the same hand-over answers the first dispense. */
export function useDispense() {
  const after = useAfterStockChange();
  return useMutation({
    mutationFn: ({ id, key, lines }: { id: string; key: string; lines: FillLine[] }) =>
      api<DispenseResult>(`/api/prescriptions/${encodeURIComponent(id)}/dispenses`, { method: 'POST', body: { idempotencyKey: key, lines } }),
    meta: { silent: true },
    onSuccess: after,
  });
}

/** 退药 with a reason. */
export function useTakeBack() {
  const after = useAfterStockChange();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api<Prescription>(`/api/dispenses/${encodeURIComponent(id)}/return`, { method: 'POST', body: { reason } }),
    meta: { silent: true },
    onSuccess: after,
  });
}

// ---- 库存 ----

export function useStock() {
  return useQuery({
    queryKey: ['stock', 'list'],
    queryFn: ({ signal }) => api<Stock>('/api/stock', { signal }),
    staleTime: 0,
    meta: { silent: true },
  });
}

export function useStockRate() {
  return useQuery({
    queryKey: ['stock', 'rate'],
    queryFn: ({ signal }) => api<StockRate>('/api/stock/rate', { signal }),
    staleTime: 0,
    retry: false,
    meta: { silent: true },
  });
}

export function useReceiveStock() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { lines: ReceiptLineInput[]; note?: string }) => api<Stock>('/api/stock/receipts', { method: 'POST', body }),
    meta: { silent: true },
    onSuccess: (stock) => {
      client.setQueryData(['stock', 'list'], stock);
      void client.invalidateQueries({ queryKey: ['stock', 'rate'] });
    },
  });
}

export function useCountStock() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { drugCode: string; batchNo: string; onHand: number; note: string }) => api<Stock>('/api/stock/counts', { method: 'POST', body }),
    meta: { silent: true },
    onSuccess: (stock) => {
      client.setQueryData(['stock', 'list'], stock);
      void client.invalidateQueries({ queryKey: ['stock', 'rate'] });
    },
  });
}
