// The administration screens' shapes of /api/admin/… (the directory and the read-only catalogues),
// their shared queries, and how a server refusal is shown at the form field it names, in the
// reader's language (never the server's English).
import { useQuery } from '@tanstack/react-query';
import type { FormInstance } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import { ApiError, NETWORK_ERROR_STATUS, api } from '../../api.ts';
import i18n from '../../i18n/index.ts';
import type { Role } from '../../types.ts';

export type Level = 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';
export type Kind = 'community_health_centre' | 'township_health_centre' | 'village_clinic' | 'hospital' | 'pharmacy';
export type Profession = 'doctor' | 'nurse' | 'public_health' | 'pharmacist';
export type MemberRole = 'gp' | 'nurse' | 'public_health' | 'specialist';

export const LEVELS: Level[] = ['grassroots', 'secondary', 'tertiary', 'pharmacy'];
export const KINDS: Kind[] = ['community_health_centre', 'township_health_centre', 'village_clinic', 'hospital', 'pharmacy'];
export const PROFESSIONS: Profession[] = ['doctor', 'nurse', 'public_health', 'pharmacist'];
export const MEMBER_ROLES: MemberRole[] = ['gp', 'nurse', 'public_health', 'specialist'];
/** As the server's rules: the kinds a level allows, and the profession each "3+X" role needs. */
export const KINDS_OF_LEVEL: Record<Level, Kind[]> = {
  grassroots: ['community_health_centre', 'township_health_centre', 'village_clinic'],
  secondary: ['hospital'],
  tertiary: ['hospital'],
  pharmacy: ['pharmacy'],
};
export const PROFESSION_FOR_ROLE: Record<MemberRole, Profession> = { gp: 'doctor', nurse: 'nurse', public_health: 'public_health', specialist: 'doctor' };
export const LICENCE_PATTERN = /^[0-9A-Za-z]{12,18}$/;
export const CODE_PATTERN = /^[0-9A-Za-z][0-9A-Za-z-]{2,29}$/;
export const PHONE_PATTERN = /^(0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})$/;

export interface Ref {
  id: string;
  name: string;
}

export interface AdminInstitution {
  id: string;
  code: string;
  name: string;
  level: Level;
  kind: Kind;
  county: { code: string; name: string };
  town: { code: string; name: string };
  medicalCommunity: Ref | null;
  upperInstitution: Ref | null;
  designated: boolean;
  address: string | null;
  phone: string | null;
  practitioners: number;
  teams: number;
}

export interface MedicalCommunity {
  id: string;
  name: string;
  county: { code: string; name: string };
  institutions: number;
  leadHospital: string | null;
}

export interface Practitioner {
  id: string;
  name: string;
  profession: Profession;
  licenseNo: string;
  institution: Ref;
  leadsTeams: number;
  teams: number;
}

export interface TeamMember {
  practitionerId: string;
  name: string;
  profession: Profession;
  role: MemberRole;
  licenseNo: string;
  institution: Ref;
}

export interface AdminTeam {
  id: string;
  name: string;
  phone: string | null;
  institution: Ref;
  leader: Ref;
  members: TeamMember[];
  contracted: number;
}

export interface Candidate {
  id: string;
  name: string;
  profession: Profession;
  licenseNo: string;
  institution: Ref;
  ownInstitution: boolean;
}

export interface RegionEntry {
  code: string;
  name: string;
  nameEn: string | null;
  level: 'city' | 'county' | 'town';
  parentCode: string | null;
}

export interface Paged<T> {
  total: number;
  items: T[];
}

const HOUR = 60 * 60_000;

export function useRegions() {
  return useQuery({ queryKey: ['admin', 'regions'], queryFn: ({ signal }) => api<RegionEntry[]>('/api/admin/regions', { signal }), staleTime: HOUR });
}

export function useCommunities(enabled = true) {
  return useQuery({
    queryKey: ['admin', 'communities'],
    queryFn: ({ signal }) => api<MedicalCommunity[]>('/api/admin/medical-communities', { signal }),
    enabled,
  });
}

/** Institutions matching a search (the pickers of the team, practitioner and institution forms). */
export function useInstitutionSearch(q: string, options: { level?: Level; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['admin', 'institutions', 'search', q, options.level],
    queryFn: ({ signal }) => api<Paged<AdminInstitution>>('/api/admin/institutions', { query: { q: q || undefined, level: options.level, limit: 30 }, signal }),
    enabled: options.enabled ?? true,
    staleTime: 60_000,
  });
}

export function useInstitution(id: string | null, enabled = true) {
  return useQuery({
    queryKey: ['admin', 'institutions', 'one', id],
    queryFn: ({ signal }) => api<AdminInstitution>(`/api/admin/institutions/${id}`, { signal }),
    enabled: enabled && id !== null,
    staleTime: 60_000,
  });
}

/** The system administrator works everywhere; an institution's administrator in its own institution. */
export const seesAllInstitutions = (role: Role) => role === 'system_admin';

// ---- server errors at their fields ----

type Problem = { field: string; rule: string; message: string };

/** A server rule in the reader's language: the directory's own rules, then the schema's keywords, never the server's English. */
export function ruleText(rule: string): string {
  for (const key of [`directory.rules.${rule}`, `directory.schemaRules.${rule}`]) if (i18n.exists(key)) return i18n.t(key);
  return i18n.t('directory.rules.invalid');
}

/** A failure outside any field: the status in the reader's language. */
export function failureText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === NETWORK_ERROR_STATUS) return i18n.t('errors.network');
    if (error.status === 403) return i18n.t('directory.failures.forbidden');
    if (error.status === 404) return i18n.t('directory.failures.notFound');
    if (error.status === 409) return i18n.t('directory.failures.conflict');
  }
  return i18n.t('directory.failures.other');
}

/**
 * Puts each error of a problem+json answer at its form field (`body.licenseNo` → licenseNo; `fieldOf`
 * maps the rest, e.g. a member's index to the role it was chosen under) and returns what has no
 * field on the form, for an alert above it.
 */
export function placeErrors(form: FormInstance, error: unknown, fieldOf?: (field: string, rule: string) => NamePath | null): string[] {
  if (!(error instanceof ApiError) || !error.problem.errors?.length) return [failureText(error)];
  const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const unplaced: string[] = [];
  for (const e of error.problem.errors as Problem[]) {
    const text = ruleText(e.rule);
    const mapped = fieldOf?.(e.field, e.rule) ?? null;
    const own = e.field.replace(/^(body|query|params)\.?/, '').split('.').filter(Boolean);
    const name: NamePath | null = mapped ?? (own.length && registered.has(JSON.stringify(own)) ? own : own.length && registered.has(JSON.stringify([own[0]])) ? [own[0]] : null);
    if (name === null) {
      if (!unplaced.includes(text)) unplaced.push(text);
      continue;
    }
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(text)) entry.errors.push(text);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
  return unplaced;
}

/** Lines for a refused action outside a form (a deletion): each rule in the reader's language. */
export function actionErrors(error: unknown): string[] {
  if (error instanceof ApiError && error.problem.errors?.length) return [...new Set(error.problem.errors.map((e) => ruleText(e.rule)))];
  return [failureText(error)];
}
