import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { consentForm, contractsOfPerson, myTeamId, ownConsentForm, renewContract, signContract, teamOverview, terminateContract } from './service';
import { teamPatients } from './teamPatients';
import { CONTRACT_BODY_LIMIT } from './validation';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

const consentSchema = z.strictObject({
  signer: z.enum(['self', 'guardian', 'proxy']).describe('who signed: the resident, a guardian or a proxy'),
  signerName: z.string().trim().min(1).max(50),
  signedAt: z.iso.datetime({ offset: true }),
  form: z.strictObject({ name: z.string().min(1).max(120), contentBase64: z.base64() }).nullish().describe('a scanned consent form: PDF, JPEG or PNG (by content, its name ending to match), ≤ 5 MB (5 MiB); larger is 413, another type 415'),
});

const contractSchema = z
  .object({
    id: z.uuid(),
    personId: z.uuid(),
    team: z.object({ id: z.uuid(), name: z.string() }),
    doctor: z.object({ id: z.uuid(), name: z.string() }),
    startDate: z.iso.date(),
    endDate: z.iso.date(),
    packages: z.array(z.string()),
    status: z.enum(['active', 'renewed', 'lapsed', 'terminated']),
    inForce: z.boolean(),
    daysToEnd: z.number().int(),
    consent: z.object({ signer: z.string(), signerName: z.string(), signedAt: z.string(), formName: z.string().nullable() }),
    previousContractId: z.uuid().nullable(),
    terminatedOn: z.iso.date().nullable(),
    terminationReason: z.string().nullable(),
    history: z.array(z.object({ at: z.string(), action: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), by: z.string().nullable() })),
  })
  .meta({ id: 'Contract' });

const idParams = z.strictObject({ id: z.uuid() });

export function contractRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/service-packages', {
      schema: {
        tags: ['contracts'],
        summary: 'Service packages a contract can include (基础包 is mandatory)',
        response: { 200: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), kind: z.enum(['basic', 'chronic']), diseases: z.array(z.string()), items: z.array(z.string()), annualFeeFen: z.number().int() })) },
      },
      handler: async (request) => {
        const rows = await ctx.db.selectFrom('service_package').selectAll().orderBy('kind').orderBy('code').execute();
        return rows.map((p) => ({ code: p.code, nameZh: p.name_zh, nameEn: p.name_en, kind: p.kind, diseases: p.diseases, items: p.items as string[], annualFeeFen: p.annual_fee_fen }));
      },
    });

    const teamSchema = z.object({
      id: z.uuid(), name: z.string(), phone: z.string().nullable().describe('the team’s service phone (签约服务电话)'),
      institution: z.object({ id: z.uuid(), name: z.string(), address: z.string().nullable(), phone: z.string().nullable() }), region: z.object({ code: z.string(), name: z.string() }),
      members: z.array(z.object({ id: z.uuid(), name: z.string(), profession: z.string(), role: z.string(), institution: z.string() })),
      contractedPatients: z.number().int(), doctors: z.number().int(), patientsPerDoctor: z.number().int().nullable(),
    }).meta({ id: 'Team' });

    app.get('/api/teams/mine', {
      schema: { tags: ['contracts'], summary: "The caller's family-doctor team (a doctor's own, a patient's contracted one): members (3+X) and load", response: { 200: teamSchema, ...errors } },
      handler: async (request) => teamOverview(ctx, await myTeamId(ctx, actorOf(request))),
    });

    app.get('/api/team/patients', {
      schema: {
        tags: ['contracts'],
        summary: "The team's patients: contracted, unsigned (diagnosed, to sign next), expiring within 30 days, or needing attention (returned filings)",
        querystring: z.strictObject({
          list: z.enum(['contracted', 'unsigned', 'expiring', 'attention']).default('contracted'),
          disease: z.string().max(40).regex(/^[a-z_]+$/).optional(),
          registration: z.enum(['none', 'pending', 'returned', 'confirmed']).optional(),
          q: z.string().trim().min(1).max(50).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
        response: {
          200: z.object({
            total: z.number().int(),
            items: z.array(z.object({
              person: z.object({ id: z.uuid(), name: z.string(), sex: z.string(), age: z.number().int(), idNumber: z.string(), phone: z.string().nullable(), region: z.object({ code: z.string(), name: z.string() }) }),
              conditions: z.array(z.object({ code: z.string(), name: z.string() })),
              contract: z.object({ id: z.uuid(), startDate: z.string(), endDate: z.string(), status: z.string(), daysToEnd: z.number().int() }).nullable(),
              registrations: z.array(z.object({ disease: z.string(), name: z.string(), state: z.enum(['none', 'pending', 'returned', 'confirmed']), filingId: z.uuid().nullable() })),
            })),
          }),
          ...errors,
        },
      },
      handler: async (request) => teamPatients(ctx, actorOf(request), request.query),
    });

    app.post('/api/contracts', {
      bodyLimit: CONTRACT_BODY_LIMIT, // a 5 MiB consent form in base64, and the rest
      schema: {
        tags: ['contracts'],
        summary: 'Sign a resident with your team (家庭医生签约); one current contract per person',
        body: z.strictObject({
          personId: z.uuid(),
          startDate: z.iso.date().optional(),
          endDate: z.iso.date().optional().describe('defaults to one year after the start'),
          packages: z.array(z.string().max(40).regex(/^[a-z_]+$/)).min(1).max(10),
          consent: consentSchema,
        }),
        response: { 201: contractSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await signContract(ctx, actorOf(request), request.body)),
    });

    app.post('/api/contracts/:id/renew', {
      bodyLimit: CONTRACT_BODY_LIMIT,
      schema: {
        tags: ['contracts'],
        summary: 'Renew (续约) the current contract; opens 30 days before its end; history carries over',
        params: idParams,
        body: z.strictObject({ packages: z.array(z.string().max(40).regex(/^[a-z_]+$/)).min(1).max(10).optional(), consent: consentSchema }),
        response: { 201: contractSchema, ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await renewContract(ctx, actorOf(request), request.params.id, request.body)),
    });

    app.post('/api/contracts/:id/terminate', {
      schema: {
        tags: ['contracts'],
        summary: 'Terminate (解约) a contract, with a reason',
        params: idParams,
        body: z.strictObject({ reason: z.string().trim().min(2).max(200), terminatedOn: z.iso.date().optional() }),
        response: { 200: contractSchema, ...errors },
      },
      handler: async (request) => terminateContract(ctx, actorOf(request), request.params.id, request.body),
    });

    app.get('/api/contracts/:id/consent-form', {
      schema: { tags: ['contracts'], summary: 'The scanned consent form attached to a contract', params: idParams },
      handler: async (request, reply) => {
        const file = await consentForm(ctx, actorOf(request), request.params.id);
        return reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`).type('application/octet-stream').send(file.content);
      },
    });

    app.get('/api/people/me/contracts', {
      schema: { tags: ['contracts'], summary: "A patient's own contracts", response: { 200: z.array(contractSchema), ...errors } },
      handler: async (request) => {
        const actor = actorOf(request);
        return contractsOfPerson(ctx, actor, actor.user.personId);
      },
    });

    app.get('/api/people/me/contracts/:id/consent-form', {
      schema: { tags: ['contracts'], summary: "The scanned consent form of one of the patient's own contracts", params: idParams },
      handler: async (request, reply) => {
        const file = await ownConsentForm(ctx, actorOf(request), request.params.id);
        return reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`).type('application/octet-stream').send(file.content);
      },
    });

    app.get('/api/people/:id/contracts', {
      schema: { tags: ['contracts'], summary: "A person's contracts with their history", params: idParams, response: { 200: z.array(contractSchema), ...errors } },
      handler: async (request) => contractsOfPerson(ctx, actorOf(request), request.params.id),
    });
  };
}
