// 送药到家 (issue 14, src/modules/delivery) as react-query hooks, and the shapes of the server's answers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.ts';

export type DeliveryStatus = 'ordered' | 'rechecked' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';
export type DeliveryStep = 'ordered' | 'recheck1' | 'recheck2' | 'out_for_delivery' | 'delivered' | 'failed' | 'returned';
export const OPEN_STATUSES: DeliveryStatus[] = ['ordered', 'rechecked', 'out_for_delivery'];

export interface DeliveryEvent {
  at: string;
  step: DeliveryStep;
  from: string | null;
  to: string;
  reason: string | null;
  by: string | null;
  role: string | null;
}

export interface DeliveryOrder {
  id: string;
  status: DeliveryStatus;
  prescriptionId: string;
  prescriptionNo: string;
  dispenseId: string;
  person: { id: string; name: string };
  address: string;
  phone: string | null;
  provider: { id: string; name: string; phone: string | null };
  institution: { id: string; name: string; phone: string | null };
  claim: { id: string; settlementNo: string; status: string; amountFen: number; fundPayFen: number; selfPayFen: number };
  lines: Array<{ prescriptionLineNo: number; drugCode: string; drugName: string; drugNameEn: string; strength: string; packSize: number | null; unit: string; batchNo: string; expiryDate: string; quantity: number }>;
  rechecks: Array<{ name: string; role: string | null; at: string | null }>;
  recheckedByMe: boolean;
  outAt: string | null;
  finishedAt: string | null;
  failureReason: string | null;
  proof: { mediaType: string; sizeBytes: number } | null;
  createdAt: string;
  events: DeliveryEvent[];
}

export interface DeliveryProvider {
  id: string;
  code: string;
  name: string;
  county: { code: string; name: string };
  phone: string | null;
  staff: number;
}

export type ListFilter = DeliveryStatus | 'open' | 'all';

export function useDeliveryOrders(status: ListFilter) {
  return useQuery({
    queryKey: ['delivery', 'orders', status],
    queryFn: ({ signal }) => api<{ items: DeliveryOrder[]; counts: Record<DeliveryStatus, number> }>('/api/delivery-orders', { query: { status, limit: 100 }, signal }),
  });
}

export function useDeliveryOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: ['delivery', 'order', id],
    queryFn: ({ signal }) => api<DeliveryOrder>(`/api/delivery-orders/${encodeURIComponent(id!)}`, { signal }),
    enabled: !!id,
  });
}

/** A prescription's orders (the prescription's page). */
export function usePrescriptionDeliveries(prescriptionId: string | null | undefined) {
  return useQuery({
    queryKey: ['delivery', 'prescription', prescriptionId],
    queryFn: ({ signal }) => api<{ items: DeliveryOrder[] }>(`/api/prescriptions/${encodeURIComponent(prescriptionId!)}/delivery-orders`, { signal }).then((r) => r.items),
    enabled: !!prescriptionId,
  });
}

export function useMyDeliveries() {
  return useQuery({
    queryKey: ['delivery', 'mine'],
    queryFn: ({ signal }) => api<{ items: DeliveryOrder[] }>('/api/me/deliveries', { signal }).then((r) => r.items),
  });
}

export function useCounterProviders(enabled = true) {
  return useQuery({
    queryKey: ['delivery', 'providers', 'counter'],
    queryFn: ({ signal }) => api<{ items: DeliveryProvider[] }>('/api/delivery/providers', { signal }).then((r) => r.items),
    enabled,
    staleTime: 10 * 60_000,
  });
}

export function useAdminProviders(enabled = true) {
  return useQuery({
    queryKey: ['delivery', 'providers', 'admin'],
    queryFn: ({ signal }) => api<{ items: DeliveryProvider[] }>('/api/admin/delivery-providers', { signal }).then((r) => r.items),
    enabled,
    staleTime: 60_000,
    meta: { silent: true },
  });
}

export type StepAction =
  | { kind: 'recheck'; note?: string }
  | { kind: 'out' }
  | { kind: 'delivered'; contentBase64: string; name: string }
  | { kind: 'failed' | 'returned'; reason: string };

/** One step of an order; the lists and the order are fetched again. */
export function useDeliveryStep(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (a: StepAction) => {
      const url = `/api/delivery-orders/${encodeURIComponent(id)}`;
      switch (a.kind) {
        case 'recheck':
          return api<DeliveryOrder>(`${url}/recheck`, { body: a.note ? { note: a.note } : {} });
        case 'out':
          return api<DeliveryOrder>(`${url}/out`, { body: {} });
        case 'delivered':
          return api<DeliveryOrder>(`${url}/delivered`, { body: { proof: { name: a.name, contentBase64: a.contentBase64 } } });
        default:
          return api<DeliveryOrder>(`${url}/${a.kind}`, { body: { reason: a.reason } });
      }
    },
    onSuccess: (order) => {
      client.setQueryData(['delivery', 'order', id], order);
      void client.invalidateQueries({ queryKey: ['delivery', 'orders'] });
      void client.invalidateQueries({ queryKey: ['delivery', 'prescription'] });
    },
  });
}

export function useOrderDelivery(prescriptionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { idempotencyKey: string; providerId?: string }) =>
      api<{ replayed: boolean; order: DeliveryOrder }>(`/api/prescriptions/${encodeURIComponent(prescriptionId)}/delivery-orders`, { body }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['delivery'] });
      for (const key of [['rx'], ['stock'], ['person-claims'], ['settlement']]) void client.invalidateQueries({ queryKey: key });
    },
  });
}

/**
 * The photo as base64, made smaller first when the browser can draw it: a phone camera's picture is
 * redrawn as a JPEG of at most 1600 px on its longer side (well under the server's 5 MB). A file the
 * browser cannot draw is sent as it is, for the server to judge by its content.
 */
export async function photoForUpload(file: File): Promise<{ name: string; contentBase64: string; mediaType: string }> {
  const asIs = async () => ({ name: file.name || 'receipt', contentBase64: toBase64(new Uint8Array(await file.arrayBuffer())), mediaType: file.type || 'image/jpeg' });
  if (!file.type.startsWith('image/') || typeof createImageBitmap !== 'function') return asIs();
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= 1_500_000 && (file.type === 'image/jpeg' || file.type === 'image/png')) return asIs();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob) return asIs();
    return { name: 'receipt.jpg', contentBase64: toBase64(new Uint8Array(await blob.arrayBuffer())), mediaType: 'image/jpeg' };
  } catch {
    return asIs();
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export const proofUrl = (orderId: string) => `/api/delivery-orders/${encodeURIComponent(orderId)}/proof`;
