// The HTTP assembly: one Fastify app serving the API (documented at /openapi.json and /docs)
// and the built web app, with errors as problem+json and logs that never hold an ID number.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { maskResidentIdsIn } from '../engine/identity/residentId';
import { authRoutes } from '../modules/auth/routes';
import { peopleRoutes } from '../modules/people/routes';
import { contractRoutes } from '../modules/contracts/routes';
import { eligibilityRoutes } from '../modules/eligibility/routes';
import { followupRoutes } from '../modules/followups/routes';
import { referenceRoutes } from '../modules/reference/routes';
import { registrationRoutes } from '../modules/registrations/routes';
import { settlementRoutes } from '../modules/settlement/routes';
import { registerSessionResolver } from './auth';
import type { AppContext } from '../core/context';
import { problemSchema } from '../core/problem';
import { errorHandler, sendProblem } from './errors';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    serializers: {
      // URLs carry search texts, which may be ID numbers
      req: (req) => ({ method: req.method, url: maskResidentIdsIn(req.url), ip: req.ip }),
    },
  };
}

export async function buildApp(ctx: AppContext, options: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({ logger: options.logger ?? false, trustProxy: true }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

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
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyCookie);
  registerSessionResolver(app, ctx);

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
  await app.register(peopleRoutes(ctx));
  await app.register(referenceRoutes(ctx));
  await app.register(contractRoutes(ctx));
  await app.register(registrationRoutes(ctx));
  await app.register(eligibilityRoutes(ctx));
  await app.register(settlementRoutes(ctx));
  await app.register(followupRoutes(ctx));

  await serveWebApp(app);
  return app;
}

/** The built web app, with every unknown non-API GET answered by index.html (client-side routes). */
async function serveWebApp(app: FastifyInstance) {
  const hasWeb = existsSync(`${WEB_DIST}index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && request.headers.accept?.includes('text/html');
    if (isPage && hasWeb) return reply.sendFile('index.html');
    if (isPage) return reply.type('text/plain').send('The web app is not built: run `npm run build:web`.');
    return sendProblem(reply, 404, 'Not Found', `No route ${request.method} ${request.url.split('?')[0]}`);
  });
}
