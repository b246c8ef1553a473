// Resolves the session cookie into request.user before any handler runs; handlers then ask
// requireUser / requireRole, so an unauthenticated call is a 401 and a wrong role a 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { userForToken } from '../modules/auth/service';
import type { AuthUser } from '../modules/auth/user';
import type { Role } from '../db/schema';
import type { AppContext } from './context';
import { forbidden, unauthorized } from './problem';

export const SESSION_COOKIE = 'manbing_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

export function registerSessionResolver(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && request.url.startsWith('/api/')) request.user = await userForToken(ctx, token);
  });
}

export function requireUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): AuthUser {
  const user = requireUser(request);
  if (!roles.includes(user.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  return user;
}
