// The signed-in user as every service sees it: role plus the scope it may act in.
import { z } from 'zod';
import type { Role } from '../db/schema';

export const roleSchema = z.enum(['family_doctor', 'pharmacist', 'insurance_reviewer', 'analyst', 'institution_admin', 'system_admin', 'patient', 'delivery', 'specialist']) satisfies z.ZodType<Role>;

export type ScopeKind = 'team' | 'institution' | 'county' | 'city' | 'person' | 'provider' | 'all';

export interface AuthUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: {
    kind: ScopeKind;
    id: string | null;
    name: string;
    /** People whose address region code starts with this are in scope ('' = everyone). */
    regionPrefix: string | null;
  };
  practitionerId: string | null;
  teamId: string | null;
  institutionId: string | null;
  personId: string | null;
  /** A delivery user's provider (配送企业). */
  deliveryProviderId: string | null;
  /** After an administrator's reset: nothing but choosing a new password until it is done. */
  mustChangePassword: boolean;
}

/**
 * Lists, cards and filings show the full resident ID number only on the patient's own record; anyone
 * else whose work needs it reveals it deliberately (GET /api/people/:id/id-number, audited).
 */
export function seesFullIdNumber(user: AuthUser, personId: string): boolean {
  return user.personId === personId;
}
