// Shapes of the server's JSON, as the API contract defines them.

export const ROLES = [
  'family_doctor',
  'pharmacist',
  'insurance_reviewer',
  'analyst',
  'institution_admin',
  'system_admin',
  'patient',
] as const;
export type Role = (typeof ROLES)[number];

export type ScopeKind = 'team' | 'institution' | 'county' | 'city' | 'person' | 'all';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: { kind: ScopeKind; id: string | null; name: string };
}

export type Sex = 'male' | 'female';
export type InsuranceType = 'resident' | 'employee';

export interface PersonDisease {
  code: string;
  name: string;
  status: string;
}

export interface PersonSummary {
  id: string;
  name: string;
  sex: Sex;
  birthDate: string;
  age: number;
  /** Masked (330402********1234) unless the caller's role needs the full number. */
  idNumber: string;
  /** Masked (138****1234). */
  phone: string | null;
  insuranceType: InsuranceType;
  region: { code: string; name: string };
  contract: { teamId: string; teamName: string; endDate: string } | null;
  diseases: PersonDisease[];
}

export interface PersonDetail extends PersonSummary {
  address: string | null;
  insuredSince: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  /** true when the server stopped counting: `total` is a lower bound. */
  totalCapped?: boolean;
}

/** RFC 9457 problem details, as every error of the API is sent. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: Array<{ field: string; rule: string; message: string }>;
}
