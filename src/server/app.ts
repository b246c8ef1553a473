// The HTTP assembly: one Fastify app serving the API (documented at /openapi.json and /docs)
// and the built web app, with errors as problem+json and logs that never hold an ID number.
// Hardening lives here, once for every route: security headers, rate limits, the proxy setting,
// control characters refused before any schema runs, and the reminder job started visibly.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { authRoutes } from '../modules/auth/routes';
import { auditLogRoutes } from '../modules/auditLog/routes';
import { userRoutes } from '../modules/users/routes';
import { peopleRoutes } from '../modules/people/routes';
import { contractRoutes } from '../modules/contracts/routes';
import { eligibilityRoutes } from '../modules/eligibility/routes';
import { followupRoutes } from '../modules/followups/routes';
import { startReminderScheduler } from '../modules/followups/reminders';
import { referralRoutes } from '../modules/referrals/routes';
import { startReferralScheduler } from '../modules/referrals/service';
import { referenceRoutes } from '../modules/reference/routes';
import { registrationRoutes } from '../modules/registrations/routes';
import { rosterRoutes } from '../modules/roster/routes';
import { settlementRoutes } from '../modules/settlement/routes';
import { directoryRoutes } from '../modules/directory/routes';
import { prescriptionRoutes } from '../modules/prescriptions/routes';
import { dispensingRoutes } from '../modules/dispensing/routes';
import { stockRoutes } from '../modules/stock/routes';
import { deliveryRoutes } from '../modules/delivery/routes';
import { auditReviewRoutes } from '../modules/auditReview/routes';
import { smartAuditRoutes } from '../modules/smartAudit/routes';
import { indicatorRoutes } from '../modules/indicators/routes';
import { reportRoutes } from '../modules/reports/routes';
import { paymentRoutes } from '../modules/payments/routes';
import { fhirRoutes } from '../modules/fhir/routes';
import { startIndicatorScheduler } from '../modules/indicators/service';
import { startAuditScheduler } from '../modules/smartAudit/service';
import { registerSessionResolver } from './auth';
import type { AppContext } from '../core/context';
import { AppError, problemSchema } from '../core/problem';
import { errorHandler, sendProblem } from './errors';
import { refuseControlCharacters } from './controlCharacters';
import { type ControlChannel, controlRoutes } from './control';
import { maskForLog } from './logMask';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** pino options for the server's log; `stream` (tests) receives the lines instead of stdout. */
export function loggerOptions(level: string, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      // URLs carry search texts, which may be ID or phone numbers: decoded, then masked
      req: (req) => ({ method: req.method, url: maskForLog(req.url), ip: req.ip }),
      // errors may quote values (a database error its parameters): masked, parameters left out
      err: (err: Error) => {
        const { code, detail } = err as Error & { code?: unknown; detail?: unknown };
        return {
          type: err.constructor?.name ?? 'Error',
          message: maskForLog(String(err.message)),
          stack: maskForLog(err.stack ?? ''),
          ...(typeof code === 'string' ? { code } : {}),
          ...(typeof detail === 'string' ? { detail: maskForLog(detail) } : {}),
        };
      },
    },
  };
}

// The web app's scripts and styles are files of its own origin; Ant Design writes <style> elements at
// run time, so styles may be inline. Nothing is framed, posted or loaded from elsewhere.
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};
/** /docs (Swagger UI) under its own policy: the same, with inline styles for its widgets. */
const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'";

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Start the daily follow-up reminder job once the server listens (`manbing start` with MANBING_REMINDERS on; never in tests unless asked). */
  reminders?: boolean;
  /** Start the nightly smart audit of yesterday's claims once the server listens (`manbing start` with MANBING_AUDIT on; never in tests unless asked). */
  audit?: boolean;
  /** The loopback control channel `manbing backup` and `manbing audit run` use (`manbing start` on the embedded database). */
  control?: ControlChannel;
}

export async function buildApp(ctx: AppContext, options: BuildOptions = {}) {
  // X-Forwarded-For / -Proto are believed only from the proxies TRUST_PROXY names (by default from no one)
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: ctx.config.TRUST_PROXY,
    // the router's own refusals (a malformed URL, a path param too long) are problem+json too
    frameworkErrors: (error, _request, reply) => sendProblem(reply, error.statusCode && error.statusCode < 500 ? error.statusCode : 400, error.statusCode === 414 ? 'URI Too Long' : 'Bad Request', error.message, [{ field: 'params', rule: error.code ?? 'invalid', message: error.message }]),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('preValidation', refuseControlCharacters);

  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'manbing 慢病 API', version: '0.1.0', description: 'Two-disease outpatient medication guarantee and health management' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'manbing_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP, uiConfig: { validatorUrl: null } });
  await app.register(fastifyCookie);
  registerSessionResolver(app, ctx);
  // per address: callers without a session on the routes that reach the database (RATE_LIMIT a minute;
  // the web app's files and /docs are not counted), sign-ins on their own route (LOGIN_RATE_LIMIT);
  // signed-in work is never slowed. Registered after the session resolver, so its hook sees request.user.
  await app.register(fastifyRateLimit, {
    global: ctx.config.RATE_LIMIT > 0,
    max: ctx.config.RATE_LIMIT,
    timeWindow: 60_000,
    allowList: (request) => request.user !== null || !(request.url.startsWith('/api/') || request.url.startsWith('/fhir') || request.url.startsWith('/health')),
    errorResponseBuilder: (_request, context) =>
      new AppError(context.statusCode, 'Too Many Requests', `Too many requests from this address; try again in ${context.after}`),
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/health', {
    schema: { tags: ['system'], summary: 'Healthy when the database answers', response: { 200: z.object({ status: z.literal('ok'), database: z.string() }), 503: problemSchema } },
    handler: async (_request, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok' as const, database: 'reachable' };
      } catch {
        return sendProblem(reply, 503, 'Service Unavailable', 'The database does not answer');
      }
    },
  });

  await app.register(authRoutes(ctx));
  await app.register(userRoutes(ctx));
  await app.register(peopleRoutes(ctx));
  await app.register(referenceRoutes(ctx));
  await app.register(contractRoutes(ctx));
  await app.register(registrationRoutes(ctx));
  await app.register(eligibilityRoutes(ctx));
  await app.register(settlementRoutes(ctx));
  await app.register(followupRoutes(ctx));
  await app.register(rosterRoutes(ctx));
  await app.register(directoryRoutes(ctx));
  await app.register(auditLogRoutes(ctx));
  await app.register(prescriptionRoutes(ctx));
  await app.register(dispensingRoutes(ctx));
  await app.register(stockRoutes(ctx));
  await app.register(deliveryRoutes(ctx));
  await app.register(referralRoutes(ctx));
  await app.register(auditReviewRoutes(ctx));
  await app.register(smartAuditRoutes(ctx));
  await app.register(indicatorRoutes(ctx));
  await app.register(reportRoutes(ctx));
  await app.register(paymentRoutes(ctx));
  await app.register(fhirRoutes(ctx));
  if (options.control) await app.register(controlRoutes(options.control, ctx));

  await serveWebApp(app);

  if (options.audit) {
    let scheduler: ReturnType<typeof startAuditScheduler> | null = null;
    app.addHook('onListen', async () => {
      scheduler = startAuditScheduler(ctx, { onError: (e) => app.log.error({ err: e }, 'nightly smart audit failed') });
    });
    app.addHook('onClose', async () => scheduler?.stop());
  }
  if (options.reminders) {
    let scheduler: ReturnType<typeof startReminderScheduler> | null = null;
    app.addHook('onListen', async () => {
      scheduler = startReminderScheduler(ctx, { onError: (e) => app.log.error({ err: e }, 'reminder job failed') });
    });
    app.addHook('onClose', async () => scheduler?.stop());
    // the referrals' daily upkeep (expiry, follow-ups seen) rides with the daily reminder job's switch
    let referrals: ReturnType<typeof startReferralScheduler> | null = null;
    app.addHook('onListen', async () => {
      referrals = startReferralScheduler(ctx, { onError: (e) => app.log.error({ err: e }, 'referral upkeep failed') });
    });
    app.addHook('onClose', async () => referrals?.stop());
    // and so does the indicators' month: built for everyone on its first day
    let indicators: ReturnType<typeof startIndicatorScheduler> | null = null;
    app.addHook('onListen', async () => {
      indicators = startIndicatorScheduler(ctx, { onError: (e) => app.log.error({ err: e }, 'indicator month build failed') });
    });
    app.addHook('onClose', async () => indicators?.stop());
  }
  return app;
}

/** The built web app, with every unknown non-API GET answered by index.html (client-side routes). */
async function serveWebApp(app: FastifyInstance) {
  const hasWeb = existsSync(`${WEB_DIST}index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/fhir') && request.headers.accept?.includes('text/html');
    if (isPage && hasWeb) return reply.sendFile('index.html');
    if (isPage) return reply.type('text/plain').send('The web app is not built: run `npm run build:web`.');
    return sendProblem(reply, 404, 'Not Found', `No route ${request.method} ${request.url.split('?')[0]}`);
  });
}
