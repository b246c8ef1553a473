// Shapes of 用户管理 (GET/POST/PATCH /api/admin/users, src/modules/users/routes.ts) and the roles an
// administrator may give.
import type { Role, User } from '../../../types.ts';

export interface Named {
  id: string;
  name: string;
}

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  team: Named | null;
  institution: Named | null;
  region: { code: string; name: string } | null;
  practitioner: Named | null;
  personId: string | null;
  /** A delivery account's provider (配送企业). */
  deliveryProvider?: Named | null;
  /** A demo account (exists only in a database the demo city was loaded into). */
  demo: boolean;
  disabledAt: string | null;
  mustChangePassword: boolean;
  lockedUntil: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
}

/** The scope fields of a create or a PATCH's `scope`, named as the server names them (body.teamId …). */
export interface ScopeValues {
  role: Role;
  teamId?: string | null;
  practitionerId?: string | null;
  institutionId?: string | null;
  regionCode?: string | null;
  personId?: string | null;
  deliveryProviderId?: string | null;
}

export type UserStatus = 'active' | 'disabled' | 'mustChange' | 'locked';

/** Every role the system administrator gives, in the order the form offers them. */
const ALL_ROLES: readonly Role[] = ['family_doctor', 'specialist', 'pharmacist', 'institution_admin', 'insurance_reviewer', 'analyst', 'patient', 'delivery', 'system_admin'];
/** An institution's administrator manages the people who work in its institution (src/modules/users/service.ts). */
const INSTITUTION_ROLES: readonly Role[] = ['family_doctor', 'pharmacist', 'institution_admin', 'specialist'];

export const rolesManagedBy = (me: User): readonly Role[] => (me.role === 'institution_admin' ? INSTITUTION_ROLES : ALL_ROLES);

/** The institution an institution administrator is bound to, else null (the system administrator picks any). */
export const fixedInstitutionOf = (me: User): Named | null =>
  me.role === 'institution_admin' && me.scope.id ? { id: me.scope.id, name: me.scope.name } : null;

/** The fields of the scope each role carries. */
export const SCOPE_FIELDS: Record<Role, ReadonlyArray<keyof Omit<ScopeValues, 'role'>>> = {
  family_doctor: ['teamId', 'practitionerId'],
  pharmacist: ['institutionId', 'practitionerId'],
  institution_admin: ['institutionId'],
  insurance_reviewer: ['regionCode'],
  analyst: ['regionCode'],
  patient: ['personId'],
  system_admin: [],
  delivery: ['deliveryProviderId'],
  specialist: ['institutionId', 'practitionerId'], // a secondary or tertiary hospital, its doctor
};

/** Only the fields the role carries, trimmed and without empties. */
export function scopeBody(values: ScopeValues): ScopeValues {
  const body: ScopeValues = { role: values.role };
  for (const field of SCOPE_FIELDS[values.role]) {
    const raw = values[field];
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value) body[field] = value;
  }
  return body;
}

/** The account's scope as the form holds it. */
export function scopeOf(user: AdminUser): ScopeValues {
  return scopeBody({
    role: user.role,
    teamId: user.team?.id ?? null,
    practitionerId: user.practitioner?.id ?? null,
    institutionId: user.institution?.id ?? null,
    regionCode: user.region?.code ?? null,
    personId: user.personId,
    deliveryProviderId: user.deliveryProvider?.id ?? null,
  });
}

export const sameScope = (a: ScopeValues, b: ScopeValues) => JSON.stringify(scopeBody(a)) === JSON.stringify(scopeBody(b));

/** What the status column says: 已停用 above all; otherwise 已锁定 and 需修改密码 as they apply; else 正常. */
export function statusesOf(user: AdminUser, now = Date.now()): UserStatus[] {
  if (user.disabledAt) return ['disabled'];
  const out: UserStatus[] = [];
  if (user.lockedUntil && Date.parse(user.lockedUntil) > now) out.push('locked');
  if (user.mustChangePassword) out.push('mustChange');
  return out.length ? out : ['active'];
}
