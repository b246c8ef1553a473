import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../core/context';
import { SESSION_COOKIE, actorOf, requireUser } from '../../core/http';
import { problemSchema } from '../../core/problem';
import { roleSchema } from '../../core/user';
import { changeOwnPassword, login, logout } from './service';


export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    scope: z.object({
      kind: z.enum(['team', 'institution', 'county', 'city', 'person', 'provider', 'all']),
      id: z.string().nullable(),
      name: z.string(),
    }),
    mustChangePassword: z.boolean().describe('after a reset: choose a new password (POST /api/auth/password) before anything else'),
  })
  .meta({ id: 'User' });

const loginBody = z.strictObject({
  username: z.string().trim().min(1).max(40),
  password: z.string().min(1).max(200),
});

export function authRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/api/auth/login', {
      // guesses from one address are limited whatever the username (@fastify/rate-limit, registered by the server)
      config: { rateLimit: ctx.config.LOGIN_RATE_LIMIT > 0 ? { max: ctx.config.LOGIN_RATE_LIMIT, timeWindow: 60_000, allowList: () => false } : false },
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets an HTTP-only session cookie',
        body: loginBody,
        response: { 200: z.object({ user: userSchema }), 401: problemSchema, 429: problemSchema },
      },
      handler: async (request, reply) => {
        const { token, expiresAt, user } = await login(ctx, request.body.username, request.body.password, request.ip);
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          // COOKIE_SECURE decides when set; otherwise the cookie is secure when the request came over
          // HTTPS (X-Forwarded-Proto counts only from a proxy TRUST_PROXY trusts)
          secure: ctx.config.COOKIE_SECURE ?? request.protocol === 'https',
          path: '/',
          expires: expiresAt,
        });
        return { user };
      },
    });

    app.post('/api/auth/logout', {
      schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } },
      handler: async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token) await logout(ctx, token);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    });

    app.post('/api/auth/password', {
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password (修改密码): at least 8 characters, letters and digits, not the username; other sessions end',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
        response: { 204: z.null(), 400: problemSchema, 401: problemSchema },
      },
      handler: async (request, reply) => {
        await changeOwnPassword(ctx, actorOf(request), request.cookies[SESSION_COOKIE]!, request.body.currentPassword, request.body.newPassword);
        return reply.code(204).send(null);
      },
    });

    app.get('/api/auth/me', {
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: z.object({ user: userSchema }), 401: problemSchema } },
      handler: async (request) => ({ user: requireUser(request) }),
    });
  };
}
