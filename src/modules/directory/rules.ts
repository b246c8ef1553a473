// The directory's rules that need no database: which kind belongs to which level, which institution
// may sit above which, which profession fits which "3+X" role, and the shapes of codes, licence and
// phone numbers. The database's constraints say the same (migrations 0001, 0011); these give the
// caller a 400 naming the field and the rule instead of a bare constraint error.
import type { InstitutionKind, InstitutionLevel } from '../../db/schema';
import type { FieldProblem } from '../../core/problem';

export const INSTITUTION_LEVELS = ['grassroots', 'secondary', 'tertiary', 'pharmacy'] as const satisfies readonly InstitutionLevel[];
export const INSTITUTION_KINDS = ['community_health_centre', 'township_health_centre', 'village_clinic', 'hospital', 'pharmacy'] as const satisfies readonly InstitutionKind[];
export const PROFESSIONS = ['doctor', 'nurse', 'public_health', 'pharmacist'] as const;
export const MEMBER_ROLES = ['gp', 'nurse', 'public_health', 'specialist'] as const;
export type Profession = (typeof PROFESSIONS)[number];
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The levels a kind may have (the institution table's CHECK): a hospital is secondary or tertiary, a pharmacy a pharmacy, the rest grassroots. */
export const LEVELS_OF_KIND: Record<InstitutionKind, readonly InstitutionLevel[]> = {
  community_health_centre: ['grassroots'],
  township_health_centre: ['grassroots'],
  village_clinic: ['grassroots'],
  hospital: ['secondary', 'tertiary'],
  pharmacy: ['pharmacy'],
};

export const kindFitsLevel = (kind: InstitutionKind, level: InstitutionLevel) => LEVELS_OF_KIND[kind].includes(level);

/**
 * Where an institution stands in the medical community (医共体): a village clinic under its township
 * centre, a centre under the county hospital, that under the city's tertiary hospital. An upper
 * institution ranks above its lower one; a pharmacy stands outside the chain (null).
 */
export function rankOf(kind: InstitutionKind, level: InstitutionLevel): number | null {
  if (kind === 'pharmacy') return null;
  if (kind === 'village_clinic') return 1;
  if (kind === 'hospital') return level === 'tertiary' ? 4 : 3;
  return 2;
}

/** The profession a "3+X" role needs: the GP and the specialists are doctors (执业医师), the nurse a nurse, the public-health worker one of theirs. */
export const PROFESSION_FOR_ROLE: Record<MemberRole, Profession> = { gp: 'doctor', nurse: 'nurse', public_health: 'public_health', specialist: 'doctor' };
/** The roles a team must fill; the specialists (the "X") are optional. */
export const REQUIRED_ROLES = ['gp', 'nurse', 'public_health'] as const satisfies readonly MemberRole[];

/**
 * A practising certificate number (执业证书编号): 12 to 18 digits or capital letters — a physician's
 * 医师执业证书编码 has 15 digits, a nurse's 护士执业证书编号 12, a licensed pharmacist's registration
 * number carries letters. Stored trimmed and upper-cased, unique across the directory.
 */
export const LICENCE_PATTERN = /^[0-9A-Z]{12,18}$/;
/** An institution's code (机构编码): 3 to 30 digits, capital letters or hyphens, starting with a letter or digit. */
export const INSTITUTION_CODE_PATTERN = /^[0-9A-Z][0-9A-Z-]{2,29}$/;
/** A landline with its area code (0573-82345678) or a mainland mobile number: the database's is_valid_phone. */
export const PHONE_PATTERN = /^(0[0-9]{2,3}-[0-9]{7,8}|1[3-9][0-9]{9})$/;

export interface MemberInput {
  practitionerId: string;
  role: MemberRole;
}

export interface Candidate {
  id: string;
  profession: Profession;
  institutionId: string;
}

/**
 * The "3+X" rules for a team's members, each problem at its member's field: every practitioner once,
 * the profession fits the role, the GP, nurse and public-health worker from the team's own institution,
 * specialists from it or an institution above it (the upper hospital), and each required role filled.
 */
export function memberProblems(members: readonly MemberInput[], known: ReadonlyMap<string, Candidate>, teamInstitutionId: string, upperChain: readonly string[], field = 'body.members'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  members.forEach((m, i) => {
    const at = `${field}.${i}.practitionerId`;
    if (seen.has(m.practitionerId)) problems.push({ field: at, rule: 'member_once', message: 'a practitioner is on the team once' });
    seen.add(m.practitionerId);
    const p = known.get(m.practitionerId);
    if (!p) {
      problems.push({ field: at, rule: 'known_practitioner', message: 'no such practitioner' });
      return;
    }
    const needed = PROFESSION_FOR_ROLE[m.role];
    if (p.profession !== needed) problems.push({ field: at, rule: 'profession_fits_role', message: `the ${m.role} role needs a ${needed}, not a ${p.profession}` });
    if (m.role === 'specialist') {
      if (p.institutionId !== teamInstitutionId && !upperChain.includes(p.institutionId))
        problems.push({ field: at, rule: 'specialist_from_upper', message: 'a specialist works at the team’s institution or an institution above it' });
    } else if (p.institutionId !== teamInstitutionId) problems.push({ field: at, rule: 'member_of_institution', message: `the ${m.role} works at the team’s institution` });
  });
  for (const role of REQUIRED_ROLES)
    if (!members.some((m) => m.role === role)) problems.push({ field: field, rule: `${role}_required`, message: `the team needs a ${role}` });
  return problems;
}
