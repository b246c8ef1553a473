// Resolves the session cookie into request.user before any handler runs; handlers then ask
// requireUser (core/http.ts), so an unauthenticated call is a 401.
import type { FastifyInstance } from 'fastify';
import { userForToken } from '../modules/auth/service';
import { SESSION_COOKIE } from '../core/http';
import type { AppContext } from '../core/context';

export function registerSessionResolver(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && request.url.startsWith('/api/')) request.user = await userForToken(ctx, token);
  });
}
