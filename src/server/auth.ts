// Resolves the session cookie into request.user before anything else runs. Every /api/ route (and /fhir) but
// signing in needs a session: without one the answer is 401 before the request is even validated,
// so nobody without a session learns what a route would have accepted.
import type { FastifyInstance } from 'fastify';
import { userForToken } from '../modules/auth/service';
import { SESSION_COOKIE } from '../core/http';
import type { AppContext } from '../core/context';
import { AppError, unauthorized } from '../core/problem';

const OPEN_ROUTES = new Set(['/api/auth/login']);
/** The API and the FHIR endpoint (/fhir, issue 18) need a session; the web app's files do not. */
const guarded = (url: string | undefined) => !!url && (url.startsWith('/api/') || url === '/fhir' || url.startsWith('/fhir/') || url.startsWith('/fhir?'));
/** All an account with a reset password may do until it has chosen a new one. */
const PASSWORD_CHANGE_ROUTES = new Set(['/api/auth/me', '/api/auth/logout', '/api/auth/password']);

export function registerSessionResolver(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && guarded(request.url)) request.user = await userForToken(ctx, token);
  });
  // after the rate limiter (onRequest) and the control-character check (registered earlier), before
  // the schema: a route that exists answers 401 to anyone without a session
  app.addHook('preValidation', async (request) => {
    const route = request.routeOptions.url;
    if (!guarded(route) || OPEN_ROUTES.has(route!)) return;
    if (!request.user) throw unauthorized();
    if (request.user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(route ?? ''))
      throw new AppError(403, 'Forbidden', 'Choose a new password first', [{ field: '', rule: 'password_change_required', message: 'choose a new password first (POST /api/auth/password)' }]);
  });
}
