// What a route needs of the request: the signed-in user (resolved from the session cookie by the
// server's onRequest hook), or a 401.
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './user';
import type { Role } from '../db/schema';
import { forbidden, unauthorized } from './problem';

export const SESSION_COOKIE = 'manbing_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
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

/** The signed-in user and their address, as every use case takes them (routes parse and call). */
export function actorOf(request: FastifyRequest): { user: AuthUser; ip: string | null } {
  return { user: requireUser(request), ip: request.ip };
}
