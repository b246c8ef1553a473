// Administration of the directory (issue 13): institutions and medical communities (the system
// administrator), family-doctor teams with their "3+X" members and practitioners (the system
// administrator everywhere, an institution's administrator within its own institution), and the
// read-only catalogues both look up (policies in force, drugs with their lists). Every use case
// starts with requireAccess; every change is written to the audit log with what changed; nothing
// referenced is deleted (409 naming what refers to it).
//
// This file is the module's public face (routes.ts and other modules import only it); the use cases
// live by capability: institutions.ts, practitioners.ts, teams.ts, catalogue.ts (the read-only
// catalogues and regions), with rules.ts (pure) and shared.ts (problems, transactions, scope) under them.
export * from './rules';
export {
  createInstitution, createMedicalCommunity, deleteInstitution, getInstitution, type InstitutionChanges, type InstitutionInput, type InstitutionView,
  listInstitutions, listMedicalCommunities, updateInstitution,
} from './institutions';
export { createPractitioner, deletePractitioner, getPractitioner, listPractitioners, type PractitionerInput, updatePractitioner } from './practitioners';
export { createTeam, deleteTeam, getTeam, listTeams, setTeamMembers, teamCandidates, type TeamInput, updateTeam } from './teams';
export { type DrugFilter, getPolicy, listDrugs, listPolicies, listRegions } from './catalogue';
