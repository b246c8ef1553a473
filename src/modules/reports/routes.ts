// The reports over HTTP (docs/reports.md): the quarterly workbook (季报表) as .xlsx, CSV or JSON.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../core/http';
import type { AppContext } from '../../core/context';
import { problemSchema } from '../../core/problem';
import * as s from './service';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
const ratio = z.object({ numerator: z.int(), denominator: z.int() });
const table = z.object({
  key: z.string(), number: z.int(), name: z.string(), sheetName: z.string(), note: z.string(),
  columns: z.array(z.object({ key: z.string(), group: z.string().nullable(), header: z.string(), kind: z.enum(['count', 'money', 'rate']).describe('money: integer fen; rate: {numerator, denominator}') })),
  rows: z.array(z.object({
    kind: z.enum(['unit', 'other', 'total']), level: z.enum(['city', 'county', 'institution']).nullable(), code: z.string().nullable(), name: z.string(),
    values: z.record(z.string(), z.union([z.int(), ratio, z.null()])),
  })),
});
const workbook = z.object({
  region: z.object({ level: z.enum(['city', 'county']), code: z.string(), name: z.string() }),
  period: z.object({ year: z.int(), quarter: z.int(), start: z.iso.date(), end: z.iso.date(), label: z.string(), complete: z.boolean() }),
  version: z.string(),
  generatedOn: z.iso.date(),
  reports: z.array(z.object({ insuranceType: z.enum(['resident', 'employee']), insuranceName: z.string(), title: z.string(), tables: z.array(table) })),
}).meta({ id: 'QuarterlyWorkbook' });

export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/reports/quarterly', {
      schema: {
        tags: ['reports'],
        summary: 'The quarterly workbook (季报表) of a county, or of the city: a report for 城乡居民医保 and one for 职工医保, a table per sheet (format=xlsx, the default; csv: one UTF-8 CSV whose first column names the table; json: the same numbers, money in fen)',
        querystring: z.strictObject({
          year: z.coerce.number().int().min(2000).max(2100),
          quarter: z.coerce.number().int().min(1).max(4),
          county: z.string().regex(/^[0-9]{6}$/).optional().describe('a county of the city; omitted: the city (a county’s reviewer: their county)'),
          format: z.enum(s.REPORT_FORMATS).default('xlsx'),
        }),
        response: { 200: z.union([workbook, z.string().describe('the .xlsx or .csv file')]), ...errors },
      },
      handler: async (request, reply) => {
        const { format, ...query } = request.query;
        const w = await s.quarterlyReport(ctx, actorOf(request), query);
        if (format === 'json') return w;
        const file = await s.renderQuarterly(w, format);
        return reply.type(s.MEDIA_TYPES[format]).header('cache-control', 'private, no-store')
          .header('content-disposition', `attachment; filename="${s.quarterlyFileName(w, format)}"`)
          // a Buffer goes out as it is (Fastify serialises only objects); the schema's string stands for the file
          .send(file as unknown as string);
      },
    });
  };
}
