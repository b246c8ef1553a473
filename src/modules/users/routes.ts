import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import { roleSchema } from '../../core/user';
import { createUser, listUsers, resetPassword, setDisabled, updateUser } from './service';

const named = z.object({ id: z.uuid(), name: z.string() });
const adminUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    team: named.nullable(),
    institution: named.nullable(),
    region: z.object({ code: z.string(), name: z.string() }).nullable(),
    practitioner: named.nullable(),
    personId: z.uuid().nullable(),
    deliveryProvider: named.nullable(),
    demo: z.boolean().describe('a demo account (exists only in a database the demo city was loaded into)'),
    disabledAt: z.iso.datetime().nullable(),
    mustChangePassword: z.boolean(),
    lockedUntil: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    passwordChangedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'AdminUser' });

/** The scope a role works in: a team and its doctor; an institution; a county or a city; a person. */
const scopeBody = z.strictObject({
  role: roleSchema,
  teamId: z.uuid().nullish(),
  practitionerId: z.uuid().nullish(),
  institutionId: z.uuid().nullish(),
  regionCode: z.string().regex(/^[0-9]{4}([0-9]{2})?$/).nullish().describe('a city (4 digits) for an analyst, a county (6) for a reviewer'),
  personId: z.uuid().nullish(),
  deliveryProviderId: z.uuid().nullish().describe('the delivery provider (配送企业) of a delivery account'),
});
const displayName = z.string().trim().min(1).max(50);
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const idParams = z.strictObject({ id: z.uuid() });

export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/admin/users', {
      schema: {
        tags: ['admin'],
        summary: 'Users (用户管理): the system administrator sees all, an institution administrator those of its institution',
        querystring: z.strictObject({
          role: roleSchema.optional(),
          q: z.string().trim().max(40).optional().describe('start of the username, or part of the name'),
          status: z.enum(['active', 'disabled']).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
        response: { 200: z.object({ items: z.array(adminUserSchema), total: z.number().int() }), ...errors },
      },
      handler: async (request) => listUsers(ctx, actorOf(request), request.query),
    });

    app.post('/api/admin/users', {
      schema: {
        tags: ['admin'],
        summary: 'Create a user with a role and its scope; answers a one-time password the user must change at first sign-in',
        body: scopeBody.extend({ username: z.string().regex(/^[a-z0-9_.-]{3,40}$/).describe('3–40 of a–z, 0–9, _ . -'), displayName }),
        response: { 201: z.object({ user: adminUserSchema, temporaryPassword: z.string() }), ...errors },
      },
      handler: async (request, reply) => reply.code(201).send(await createUser(ctx, actorOf(request), request.body)),
    });

    app.patch('/api/admin/users/:id', {
      schema: {
        tags: ['admin'],
        summary: 'Change a user’s name, or role and scope (the user’s sessions end, so the change holds at once)',
        params: idParams,
        body: z.strictObject({ displayName: displayName.optional(), scope: scopeBody.optional() }),
        response: { 200: adminUserSchema, ...errors },
      },
      handler: async (request) => updateUser(ctx, actorOf(request), request.params.id, request.body),
    });

    for (const [action, disabled] of [['disable', true], ['enable', false]] as const)
      app.post(`/api/admin/users/:id/${action}`, {
        schema: {
          tags: ['admin'],
          summary: disabled ? 'Disable a user: it can no longer sign in and its sessions end' : 'Enable a disabled user again',
          params: idParams,
          response: { 200: adminUserSchema, ...errors },
        },
        handler: async (request) => setDisabled(ctx, actorOf(request), request.params.id, disabled),
      });

    app.post('/api/admin/users/:id/reset-password', {
      schema: {
        tags: ['admin'],
        summary: 'Reset a user’s password: answers a one-time password; the user must change it at next sign-in, its sessions end',
        params: idParams,
        response: { 200: z.object({ temporaryPassword: z.string() }), ...errors },
      },
      handler: async (request) => resetPassword(ctx, actorOf(request), request.params.id),
    });
  };
}
