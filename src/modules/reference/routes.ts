import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';

export function referenceRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/drugs', {
      schema: {
        tags: ['reference'],
        summary: 'The drug catalogue (药品目录), optionally for one disease or one drug list',
        description:
          'Chronic-disease drugs name their diseases; general-outpatient drugs have none. `lists` names the drug lists a drug is on: chronic-common (浙江省医保慢性病常用药范围), nrdl (国家医保药品目录), tertiary (specialist drugs of tertiary hospitals, for 延伸处方); none when self-paid.',
        querystring: z.strictObject({
          disease: z.string().max(40).regex(/^[a-z_]+$/).optional(),
          list: z.string().max(40).regex(/^[a-z][a-z0-9-]*$/).optional(),
        }),
        response: {
          200: z.array(z.object({
            code: z.string(), genericNameZh: z.string(), genericNameEn: z.string(), form: z.string(), strength: z.string(), packSize: z.int(), unit: z.string(),
            atc: z.string(), diseases: z.array(z.string()), vbp: z.boolean(), priceFen: z.int(), lists: z.array(z.string()),
          })),
          401: problemSchema,
        },
      },
      handler: async (request) => {
        requireUser(request);
        let query = ctx.db.selectFrom('drug').selectAll().orderBy('code');
        if (request.query.disease) query = query.where((eb) => eb(eb.val(request.query.disease!), '=', eb.fn.any('diseases')));
        if (request.query.list) query = query.where((eb) => eb(eb.val(request.query.list!), '=', eb.fn.any('lists')));
        return (await query.execute()).map((d) => ({
          code: d.code, genericNameZh: d.generic_name_zh, genericNameEn: d.generic_name_en, form: d.form, strength: d.strength, packSize: d.pack_size,
          unit: d.unit, atc: d.atc, diseases: d.diseases, vbp: d.vbp, priceFen: d.price_fen, lists: d.lists,
        }));
      },
    });

    app.get('/api/institutions', {
      schema: {
        tags: ['reference'],
        summary: "Institutions in the caller's county (all for a system administrator); tertiary hospitals city-wide, as they serve the city (延伸处方 names one)",
        querystring: z.strictObject({
          kind: z.enum(['community_health_centre', 'township_health_centre', 'village_clinic', 'hospital', 'pharmacy']).optional(),
          level: z.enum(['grassroots', 'secondary', 'tertiary', 'pharmacy']).optional(),
        }),
        response: { 200: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.string(), level: z.string(), countyCode: z.string(), designated: z.boolean() })), 401: problemSchema },
      },
      handler: async (request) => {
        const user = requireUser(request);
        let query = ctx.db.selectFrom('institution').select(['id', 'name', 'kind', 'level', 'county_code', 'designated']).orderBy('code');
        const prefix = user.scope.regionPrefix ?? '';
        if (prefix) query = query.where('county_code', 'like', `${prefix.slice(0, request.query.level === 'tertiary' ? 4 : 6)}%`);
        if (request.query.kind) query = query.where('kind', '=', request.query.kind);
        if (request.query.level) query = query.where('level', '=', request.query.level);
        return (await query.execute()).map((i) => ({ id: i.id, name: i.name, kind: i.kind, level: i.level, countyCode: i.county_code, designated: i.designated }));
      },
    });
  };
}
