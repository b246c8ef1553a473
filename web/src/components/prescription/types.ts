// Shapes of the prescription API (issue 14: src/modules/prescriptions/routes.ts), as the screens use them.
import type { Frequency } from '../../types.ts';

export const PRESCRIPTION_STATUSES = ['draft', 'submitted', 'under_review', 'approved', 'returned', 'partly_dispensed', 'dispensed', 'expired', 'cancelled'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];
export type PrescriptionOrigin = 'new' | 'continuous' | 'renewal' | 'extended';
export const ORIGINS: readonly PrescriptionOrigin[] = ['new', 'continuous', 'renewal', 'extended'];
export type FillPlace = 'own' | 'pharmacy' | 'delivery';
export const FILL_PLACES: readonly FillPlace[] = ['own', 'pharmacy', 'delivery'];
export const DELIVERY_STEPS = ['ordered', 'rechecked', 'out_for_delivery', 'delivered'] as const;
export type DeliveryStatus = (typeof DELIVERY_STEPS)[number] | 'failed' | 'returned';

/** States a doctor may still revise (PUT /api/prescriptions/:id). */
export const REVISABLE: readonly string[] = ['draft', 'returned'];
/** States a doctor may cancel (作废): nothing dispensed yet. */
export const CANCELLABLE: readonly string[] = ['draft', 'submitted', 'returned', 'approved'];
/** States whose place of filling may still change (PUT …/place). */
export const PLACEABLE: readonly string[] = ['approved', 'partly_dispensed'];
/** States a patient may ask a renewal of (renewals.ts RENEWABLE). */
export const RENEWABLE: readonly string[] = ['approved', 'partly_dispensed', 'dispensed', 'expired'];

export interface InstitutionRef {
  id: string;
  code: string;
  name: string;
  level: string;
}

export interface PrescriptionFinding {
  code: string;
  severity: 'block' | 'warn';
  line: number | null;
  text: string;
  [key: string]: unknown;
}

export interface PrescriptionLineView {
  lineNo: number;
  drugCode: string;
  drugName: string;
  drugNameEn: string;
  strength: string;
  unit: string;
  packSize: number;
  dose: number;
  frequency: Frequency;
  daysSupply: number;
  /** Packs, computed by the server from dose × frequency × days. */
  quantity: number;
  dispensedQuantity: number;
  remainingQuantity: number;
}

export interface DispenseView {
  id: string;
  status: string;
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

export interface DeliveryView {
  id: string;
  status: DeliveryStatus;
  dispenseId: string;
  createdAt: string;
  finishedAt: string | null;
  failureReason: string | null;
}

export interface HistoryEntry {
  at: string;
  action: string;
  from: string | null;
  to: string;
  reason: string | null;
  by: string | null;
  detail: unknown;
}

export interface Prescription {
  id: string;
  prescriptionNo: string;
  origin: PrescriptionOrigin;
  status: PrescriptionStatus;
  person: { id: string; name: string; sex: string; idNumber: string; insuranceType: string };
  institution: InstitutionRef;
  teamId: string | null;
  doctor: string;
  writtenOn: string;
  validUntil: string;
  daysSupply: number;
  stableReason: string | null;
  renewalOf: string | null;
  source: { prescriptionNo: string; institution: InstitutionRef | null } | null;
  fillPlace: FillPlace;
  fillInstitution: InstitutionRef;
  deliveryAddress: string | null;
  findings: PrescriptionFinding[];
  reviewNote: string | null;
  overrideReason: string | null;
  reviewedAt: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  lines: PrescriptionLineView[];
  dispenses: DispenseView[];
  deliveries: DeliveryView[];
  history: HistoryEntry[];
}

/** A row of GET /api/people/:id/prescriptions. */
export interface PrescriptionItem {
  id: string;
  prescriptionNo: string;
  origin: PrescriptionOrigin;
  status: PrescriptionStatus;
  writtenOn: string;
  validUntil: string;
  daysSupply: number;
  fillPlace: FillPlace;
  institution: string;
  fillInstitution: string;
  doctor: string;
  /** Drug codes, in line order. */
  drugs: string[];
  remainingPacks: number;
}

export type RenewalRequestStatus = 'open' | 'renewed' | 'declined';

export interface RenewalRequest {
  id: string;
  status: RenewalRequestStatus;
  note: string | null;
  requestedAt: string;
  handledAt: string | null;
  declineReason: string | null;
  renewalId: string | null;
  prescriptionId: string;
  prescriptionNo: string;
}

export interface TeamRenewalRequest extends RenewalRequest {
  personId: string;
  personName: string;
  idNumber: string;
}

/** The body of POST /api/prescriptions and PUT /api/prescriptions/:id. */
export interface PrescriptionBody {
  personId: string;
  origin: PrescriptionOrigin;
  renewalOf?: string | null;
  renewalRequestId?: string | null;
  source?: { prescriptionNo: string; institutionId: string } | null;
  lines?: Array<{ drugCode: string; dose: number; frequency: Frequency; daysSupply: number }>;
  stableReason?: string | null;
  fillPlace: FillPlace;
  fillInstitutionId?: string | null;
  deliveryAddress?: string | null;
  submit?: boolean;
}
