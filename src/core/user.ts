// The signed-in user as every service sees it: role plus the scope it may act in.
import type { Role } from '../db/schema';

export type ScopeKind = 'team' | 'institution' | 'county' | 'city' | 'person' | 'all';

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
}

/** Roles whose work needs the full resident ID number (identity checks at review and at the counter). */
const SEES_FULL_ID: ReadonlySet<Role> = new Set(['insurance_reviewer', 'pharmacist', 'system_admin']);

export function seesFullIdNumber(user: AuthUser, personId: string): boolean {
  return SEES_FULL_ID.has(user.role) || user.personId === personId;
}
