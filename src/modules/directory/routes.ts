// /api/admin/…: the directory (institutions, medical communities, family-doctor teams and their "3+X"
// members, practitioners) and the read-only catalogues (policies, drugs, regions). Routes parse and call.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import * as s from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });
const paging = { limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).max(100_000).default(0) };
const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const search = z.string().trim().min(1).max(50).optional();
const regionCode = (digits: 6 | 9) => z.string().regex(new RegExp(`^[0-9]{${digits}}$`), `${digits} digits`);
const phone = z.string().trim().regex(s.PHONE_PATTERN, 'a landline with its area code (0573-82345678) or a mobile number');
const upper = (pattern: RegExp, message: string) => z.string().trim().transform((v) => v.toUpperCase()).pipe(z.string().regex(pattern, message));
const licenseNo = upper(s.LICENCE_PATTERN, '12–18 digits or capital letters (执业证书编号)');
const institutionCode = upper(s.INSTITUTION_CODE_PATTERN, '3–30 digits, capital letters or hyphens');

const ref = z.object({ id: z.uuid(), name: z.string() });
const institutionSchema = z.object({
  id: z.uuid(), code: z.string(), name: z.string(), level: z.enum(s.INSTITUTION_LEVELS), kind: z.enum(s.INSTITUTION_KINDS),
  county: z.object({ code: z.string(), name: z.string() }), town: z.object({ code: z.string(), name: z.string() }),
  medicalCommunity: ref.nullable(), upperInstitution: ref.nullable(), designated: z.boolean(), address: z.string().nullable(), phone: z.string().nullable(),
  practitioners: z.int(), teams: z.int(),
}).meta({ id: 'AdminInstitution' });
const communitySchema = z.object({ id: z.uuid(), name: z.string(), county: z.object({ code: z.string(), name: z.string() }), institutions: z.int(), leadHospital: z.string().nullable() }).meta({ id: 'MedicalCommunity' });
const practitionerSchema = z.object({
  id: z.uuid(), name: z.string(), profession: z.enum(s.PROFESSIONS), licenseNo: z.string(), institution: ref,
  leadsTeams: z.int().describe('teams they lead'), teams: z.int().describe('teams they are a member of'),
}).meta({ id: 'Practitioner' });
const teamSchema = z.object({
  id: z.uuid(), name: z.string(), phone: z.string().nullable(), institution: ref, leader: ref,
  members: z.array(z.object({ practitionerId: z.uuid(), name: z.string(), profession: z.enum(s.PROFESSIONS), role: z.enum(s.MEMBER_ROLES), licenseNo: z.string(), institution: ref })),
  contracted: z.int().describe('residents with a contract in force with the team'),
}).meta({ id: 'AdminTeam' });
const membersSchema = z.array(z.strictObject({ practitionerId: z.uuid(), role: z.enum(s.MEMBER_ROLES) })).max(30);

const institutionFields = {
  code: institutionCode,
  name: text(2, 100),
  level: z.enum(s.INSTITUTION_LEVELS),
  kind: z.enum(s.INSTITUTION_KINDS),
  countyCode: regionCode(6),
  regionCode: regionCode(9).describe('the town (乡镇、街道) under the county'),
  medicalCommunityId: z.uuid().nullable().optional(),
  upperInstitutionId: z.uuid().nullable().optional(),
  designated: z.boolean().optional().describe('a designated (定点) institution of the medical insurance; default true'),
  address: text(2, 200).nullable().optional(),
  phone: phone.nullable().optional(),
};

const sourceSchema = z.union([
  z.object({ kind: z.literal('cite'), seed: z.string().nullable(), doc: z.string().nullable(), item: z.string().nullable(), quote: z.string().nullable() }),
  z.object({ kind: z.literal('local'), reason: z.string() }),
]).nullable();
const policySummarySchema = z.object({
  id: z.string(), name: z.string(), region: z.object({ code: z.string(), name: z.string() }), effective: z.object({ from: z.string(), to: z.string().nullable() }),
  inForce: z.boolean(), schemes: z.array(z.object({ type: z.enum(['resident', 'employee']), name: z.string() })),
});
const benefitSchema = z.object({
  kind: z.enum(['two_disease', 'general', 'specified']), key: z.string().nullable(), name: z.string(), pool: z.string(),
  deductible: z.object({ fen: z.int(), source: sourceSchema }), annualLimit: z.object({ fen: z.int().nullable(), source: sourceSchema }),
  ratios: z.array(z.object({ level: z.enum(s.INSTITUTION_LEVELS), bp: z.int().nullable(), source: sourceSchema })),
  maxDaysSupply: z.object({ days: z.int(), source: sourceSchema }), diseases: z.array(z.string()).nullable(), drugList: z.string(),
  chosenInstitutionOnly: z.boolean(), category: z.string().nullable(), note: z.string().nullable(),
  grades: z.array(z.object({ grade: z.string(), levels: z.array(z.string()), diseases: z.array(z.string()), source: sourceSchema })),
  extendedPrescription: z.object({ drugList: z.string(), levels: z.array(z.string()), source: sourceSchema }).nullable(),
});
const named = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() });
const policyDetailSchema = policySummarySchema.extend({
  note: z.string().nullable(),
  registration: z.object({ oneStopLevels: z.array(z.string()), source: sourceSchema }).nullable(),
  pricing: z.object({ items: z.array(z.object({ kind: z.enum(['drugs', 'services']), level: z.string(), bp: z.int(), source: sourceSchema })), note: z.string().nullable() }),
  schemeDetails: z.array(z.union([
    z.object({ type: z.enum(['resident', 'employee']), defined: z.literal(false) }),
    z.object({
      type: z.enum(['resident', 'employee']), defined: z.literal(true), name: z.string(), note: z.string().nullable(),
      linkage: z.object({ outOfScope: z.enum(['general_outpatient', 'refuse']), selfPaid: z.enum(['counts_toward_critical_illness', 'none']), source: sourceSchema }),
      benefits: z.array(benefitSchema),
      pools: z.array(z.object({ pool: z.string(), limitFen: z.int().nullable(), generalAtMostFen: z.int().nullable() })),
    }),
  ])),
  diseaseNames: z.array(named),
  drugLists: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
}).meta({ id: 'PolicyDetail' });

export function directoryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['administration'];

    // ---- institutions and medical communities ----

    app.get('/api/admin/institutions', {
      schema: {
        tags, summary: 'Institutions (医疗机构): filter by county, level, kind, medical community, name or code; paged',
        querystring: z.strictObject({
          countyCode: regionCode(6).optional(), level: z.enum(s.INSTITUTION_LEVELS).optional(), kind: z.enum(s.INSTITUTION_KINDS).optional(),
          medicalCommunityId: z.uuid().optional(), q: search, ...paging,
        }),
        response: { 200: z.object({ total: z.int(), items: z.array(institutionSchema) }), ...errors },
      },
      handler: async (request) => s.listInstitutions(ctx, actorOf(request), request.query),
    });
    app.get('/api/admin/institutions/:id', {
      schema: { tags, summary: 'One institution', params: idParams, response: { 200: institutionSchema, ...errors } },
      handler: async (request) => s.getInstitution(ctx, actorOf(request), request.params.id),
    });
    app.post('/api/admin/institutions', {
      schema: {
        tags, summary: 'Add an institution; its kind must fit its level, its town lie in its county, its upper institution rank above it',
        body: z.strictObject(institutionFields), response: { 201: institutionSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.createInstitution(ctx, actorOf(request), request.body)),
    });
    app.patch('/api/admin/institutions/:id', {
      schema: {
        tags, summary: 'Change an institution; the code only while nothing refers to the institution (409 code_in_use)',
        params: idParams, body: z.strictObject(institutionFields).partial(), response: { 200: institutionSchema, ...errors },
      },
      handler: async (request) => s.updateInstitution(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/api/admin/institutions/:id', {
      schema: { tags, summary: 'Remove an institution nothing refers to (409 naming what does)', params: idParams, response: { 204: z.null(), ...errors } },
      handler: async (request, reply) => {
        await s.deleteInstitution(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    app.get('/api/admin/medical-communities', {
      schema: {
        tags, summary: 'Medical communities (医共体), optionally of one county',
        querystring: z.strictObject({ countyCode: regionCode(6).optional() }), response: { 200: z.array(communitySchema), ...errors },
      },
      handler: async (request) => s.listMedicalCommunities(ctx, actorOf(request), request.query.countyCode),
    });
    app.post('/api/admin/medical-communities', {
      schema: {
        tags, summary: 'Add a medical community to a county', body: z.strictObject({ name: text(2, 50), countyCode: regionCode(6) }), response: { 201: communitySchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.createMedicalCommunity(ctx, actorOf(request), request.body)),
    });

    // ---- practitioners ----

    app.get('/api/admin/practitioners', {
      schema: {
        tags, summary: 'Practitioners (医务人员) of an institution (an institution administrator: their own), by profession, name or licence number; paged',
        querystring: z.strictObject({ institutionId: z.uuid().optional(), profession: z.enum(s.PROFESSIONS).optional(), q: search, ...paging }),
        response: { 200: z.object({ total: z.int(), items: z.array(practitionerSchema) }), ...errors },
      },
      handler: async (request) => s.listPractitioners(ctx, actorOf(request), request.query),
    });
    app.post('/api/admin/practitioners', {
      schema: {
        tags, summary: 'Register a practitioner; the licence number (执业证书编号) is unique (409 licence_unique)',
        body: z.strictObject({ name: text(1, 50), profession: z.enum(s.PROFESSIONS), institutionId: z.uuid(), licenseNo }), response: { 201: practitionerSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.createPractitioner(ctx, actorOf(request), request.body)),
    });
    app.patch('/api/admin/practitioners/:id', {
      schema: {
        tags, summary: 'Change a practitioner; a profession their team role needs, or the institution of a team member, is kept (409)',
        params: idParams, body: z.strictObject({ name: text(1, 50), profession: z.enum(s.PROFESSIONS), institutionId: z.uuid(), licenseNo }).partial(), response: { 200: practitionerSchema, ...errors },
      },
      handler: async (request) => s.updatePractitioner(ctx, actorOf(request), request.params.id, request.body),
    });
    app.delete('/api/admin/practitioners/:id', {
      schema: { tags, summary: 'Remove a practitioner nothing refers to: not a team’s leader or member, no contract’s doctor, no user’s (409 naming why)', params: idParams, response: { 204: z.null(), ...errors } },
      handler: async (request, reply) => {
        await s.deletePractitioner(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    // ---- family-doctor teams ----

    app.get('/api/admin/teams', {
      schema: {
        tags, summary: 'Family-doctor teams (家庭医生团队) with leader, "3+X" members and contracted residents; an institution administrator sees their own institution’s',
        querystring: z.strictObject({ institutionId: z.uuid().optional(), countyCode: regionCode(6).optional(), q: search, ...paging }),
        response: { 200: z.object({ total: z.int(), items: z.array(teamSchema) }), ...errors },
      },
      handler: async (request) => s.listTeams(ctx, actorOf(request), request.query),
    });
    app.get('/api/admin/teams/candidates', {
      schema: {
        tags, summary: 'Who a team of the institution may take on: its staff, and the doctors of the institutions above it (as specialists)',
        querystring: z.strictObject({ institutionId: z.uuid() }),
        response: { 200: z.array(z.object({ id: z.uuid(), name: z.string(), profession: z.enum(s.PROFESSIONS), licenseNo: z.string(), institution: ref, ownInstitution: z.boolean() })), ...errors },
      },
      handler: async (request) => s.teamCandidates(ctx, actorOf(request), request.query.institutionId),
    });
    app.get('/api/admin/teams/:id', {
      schema: { tags, summary: 'One team', params: idParams, response: { 200: teamSchema, ...errors } },
      handler: async (request) => s.getTeam(ctx, actorOf(request), request.params.id),
    });
    app.post('/api/admin/teams', {
      schema: {
        tags, summary: 'Set up a team at a grassroots institution; its leader is a doctor of that institution; members optional (default: the leader as GP)',
        body: z.strictObject({ name: text(2, 50), institutionId: z.uuid(), leaderId: z.uuid(), phone: phone.nullable().optional(), members: membersSchema.optional() }),
        response: { 201: teamSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await s.createTeam(ctx, actorOf(request), request.body)),
    });
    app.patch('/api/admin/teams/:id', {
      schema: {
        tags, summary: 'Rename a team, change its leader (a doctor of the institution on the team) or its service phone',
        params: idParams, body: z.strictObject({ name: text(2, 50), leaderId: z.uuid(), phone: phone.nullable() }).partial(), response: { 200: teamSchema, ...errors },
      },
      handler: async (request) => s.updateTeam(ctx, actorOf(request), request.params.id, request.body),
    });
    app.put('/api/admin/teams/:id/members', {
      schema: {
        tags, summary: 'Set the team’s "3+X" members: a GP (doctor), a nurse and a public-health worker of the institution are required; specialists (doctors) may come from the upper hospital',
        params: idParams, body: z.strictObject({ members: membersSchema, leaderId: z.uuid().optional().describe('a new leader among the members, changed with them') }), response: { 200: teamSchema, ...errors },
      },
      handler: async (request) => s.setTeamMembers(ctx, actorOf(request), request.params.id, request.body.members, request.body.leaderId),
    });
    app.delete('/api/admin/teams/:id', {
      schema: { tags, summary: 'Remove a team nothing refers to: no contracts, filings, follow-ups or user accounts (409 naming why)', params: idParams, response: { 204: z.null(), ...errors } },
      handler: async (request, reply) => {
        await s.deleteTeam(ctx, actorOf(request), request.params.id);
        return reply.code(204).send(null);
      },
    });

    // ---- read-only catalogues ----

    app.get('/api/admin/regions', {
      schema: {
        tags, summary: 'Cities, counties and towns of the region catalogue',
        response: { 200: z.array(z.object({ code: z.string(), name: z.string(), nameEn: z.string().nullable(), level: z.enum(['city', 'county', 'town']), parentCode: z.string().nullable() })), ...errors },
      },
      handler: async (request) => s.listRegions(ctx, actorOf(request)),
    });
    app.get('/api/admin/policies', {
      schema: {
        tags, summary: 'Benefit policies (待遇政策) with their region and period, in force or not on the date (default today); for a region, the one that applies there',
        querystring: z.strictObject({ regionCode: z.string().regex(/^[0-9]{2,9}$/).optional(), date: z.iso.date().optional() }),
        response: { 200: z.object({ date: z.string(), regionCode: z.string().nullable(), applies: z.string().nullable(), items: z.array(policySummarySchema) }), ...errors },
      },
      handler: async (request) => s.listPolicies(ctx, actorOf(request), request.query),
    });
    app.get('/api/admin/policies/:id', {
      schema: {
        tags, summary: 'A policy’s content as `manbing policy show` reads it: amounts in fen, ratios in basis points, every number with its source',
        params: z.strictObject({ id: z.string().regex(/^[a-z][a-z0-9_-]*$/).max(60) }), response: { 200: policyDetailSchema, ...errors },
      },
      handler: async (request) => s.getPolicy(ctx, actorOf(request), request.params.id),
    });
    app.get('/api/admin/drugs', {
      schema: {
        tags, summary: 'The drug catalogue (药品目录) with the names of its lists; filter by list (`none`: self-paid), disease, volume-based procurement (集采), name, code or ATC',
        querystring: z.strictObject({
          list: z.string().max(40).regex(/^[a-z][a-z0-9-]*$/).optional(), disease: z.string().max(40).regex(/^[a-z_]+$/).optional(),
          vbp: z.enum(['true', 'false']).transform((v) => v === 'true').optional(), q: search,
        }),
        response: {
          200: z.object({
            lists: z.array(z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
            diseases: z.array(named),
            items: z.array(z.object({
              code: z.string(), genericNameZh: z.string(), genericNameEn: z.string(), form: z.string(), strength: z.string(), packSize: z.int(), unit: z.string(),
              atc: z.string(), diseases: z.array(z.string()), vbp: z.boolean(), priceFen: z.int(), lists: z.array(z.string()),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => s.listDrugs(ctx, actorOf(request), request.query),
    });
  };
}
