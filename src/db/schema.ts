// Row types of the tables, as Kysely sees them. Dates are 'YYYY-MM-DD' strings (see connect.ts);
// columns with a database default are Generated so inserts may leave them out.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type RegionLevel = 'province' | 'city' | 'county' | 'town';
export type InstitutionLevel = 'grassroots' | 'secondary' | 'tertiary' | 'pharmacy';
export type InstitutionKind = 'community_health_centre' | 'township_health_centre' | 'village_clinic' | 'hospital' | 'pharmacy';
export type Sex = 'male' | 'female';
export type InsuranceType = 'resident' | 'employee';
export type Role = 'family_doctor' | 'pharmacist' | 'insurance_reviewer' | 'analyst' | 'institution_admin' | 'system_admin' | 'patient';
export type ConditionSource = 'screening' | 'follow_up' | 'hospital' | 'self_report';

export interface RegionTable {
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  parent_code: string | null;
}

export interface DiseaseTable {
  code: string;
  name_zh: string;
  name_en: string;
  disease_group: 'two_disease' | 'chronic';
  icd10: string[];
}

export interface DrugTable {
  code: string;
  generic_name_zh: string;
  generic_name_en: string;
  form: string;
  strength: string;
  pack_size: number;
  unit: string;
  atc: string;
  diseases: string[];
  vbp: boolean;
  price_fen: number;
  daily_units: number;
}

export interface MedicalCommunityTable {
  id: Generated<string>;
  name: string;
  county_code: string;
}

export interface InstitutionTable {
  id: Generated<string>;
  code: string;
  name: string;
  level: InstitutionLevel;
  kind: InstitutionKind;
  county_code: string;
  region_code: string;
  medical_community_id: string | null;
  upper_institution_id: string | null;
  designated: Generated<boolean>;
}

export interface PractitionerTable {
  id: Generated<string>;
  name: string;
  profession: 'doctor' | 'nurse' | 'public_health' | 'pharmacist';
  institution_id: string;
  license_no: string;
}

export interface FamilyDoctorTeamTable {
  id: Generated<string>;
  name: string;
  institution_id: string;
  leader_id: string;
}

export interface TeamMemberTable {
  team_id: string;
  practitioner_id: string;
  member_role: 'gp' | 'nurse' | 'public_health' | 'specialist';
}

export interface PersonTable {
  id: Generated<string>;
  name: string;
  sex: Sex;
  birth_date: string;
  id_number: string;
  phone: string | null;
  region_code: string;
  address: string | null;
  insurance_type: InsuranceType;
  insured_since: string;
  created_at: Generated<Timestamp>;
}

export interface PersonConditionTable {
  person_id: string;
  disease_code: string;
  diagnosed_on: string;
  source: ConditionSource;
  institution_id: string | null;
  recorded_at: Generated<Timestamp>;
}

export interface AppUserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  practitioner_id: string | null;
  team_id: string | null;
  institution_id: string | null;
  region_code: string | null;
  person_id: string | null;
  demo: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Generated<Timestamp>;
}

export interface UserSessionTable {
  token_hash: string;
  user_id: string;
  created_at: Generated<Timestamp>;
  expires_at: Date;
  ip: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Timestamp>;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  person_id: string | null;
  ip: string | null;
  detail: unknown;
}

export interface DB {
  region: RegionTable;
  disease: DiseaseTable;
  drug: DrugTable;
  medical_community: MedicalCommunityTable;
  institution: InstitutionTable;
  practitioner: PractitionerTable;
  family_doctor_team: FamilyDoctorTeamTable;
  team_member: TeamMemberTable;
  person: PersonTable;
  person_condition: PersonConditionTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  audit_log: AuditLogTable;
}
