// 配送企业: the delivery providers of the directory. A provider serves one county (the institutions of
// that county order from it); the system administrator lists and adds them, and gives a provider its
// staff accounts (role `delivery`, src/modules/users).
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { badRequest, conflict } from '../../core/problem';

export interface ProviderInput {
  code: string;
  name: string;
  countyCode: string;
  phone?: string | null;
}

const providerRows = (db: Database) =>
  db.selectFrom('delivery_provider as p')
    .innerJoin('region as r', 'r.code', 'p.county_code')
    .select((eb) => [
      'p.id', 'p.code', 'p.name', 'p.county_code', 'r.name as county_name', 'p.phone',
      eb.selectFrom('app_user as u').select((e) => e.fn.countAll<number>().as('n')).whereRef('u.delivery_provider_id', '=', 'p.id').where('u.disabled_at', 'is', null).as('staff'),
    ]);

type ProviderRow = Awaited<ReturnType<ReturnType<typeof providerRows>['execute']>>[number];
const providerOut = (r: ProviderRow) => ({ id: r.id, code: r.code, name: r.name, county: { code: r.county_code, name: r.county_name }, phone: r.phone, staff: Number(r.staff ?? 0) });

export async function listProviders(ctx: AppContext, actor: Actor, countyCode?: string) {
  await requireAccess(ctx, actor, 'delivery.provider.manage');
  let q = providerRows(ctx.db).orderBy('p.county_code').orderBy('p.code');
  if (countyCode) q = q.where('p.county_code', '=', countyCode);
  const rows = await q.execute();
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'delivery_provider', detail: { countyCode: countyCode ?? null } }]);
  return rows.map(providerOut);
}

export async function createProvider(ctx: AppContext, actor: Actor, input: ProviderInput) {
  await requireAccess(ctx, actor, 'delivery.provider.manage');
  const county = await ctx.db.selectFrom('region').select('code').where('code', '=', input.countyCode).where('level', '=', 'county').executeTakeFirst();
  if (!county) throw badRequest('Choose a county of the region catalogue', [{ field: 'body.countyCode', rule: 'known_county', message: `${input.countyCode} is no county of the catalogue` }]);
  const taken = await ctx.db.selectFrom('delivery_provider').select('id').where('code', '=', input.code).executeTakeFirst();
  if (taken) throw conflict('provider_code_taken', `A delivery provider with the code ${input.code} exists`);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('delivery_provider').values({ code: input.code, name: input.name, county_code: input.countyCode, phone: input.phone ?? null }).returning('id').executeTakeFirstOrThrow();
    await writeAudit(trx, actor, [{ action: 'create', entity: 'delivery_provider', entityId: row.id, detail: { code: input.code, name: input.name, countyCode: input.countyCode } }]);
    return row.id;
  });
  return providerOut((await providerRows(ctx.db).where('p.id', '=', id).executeTakeFirstOrThrow()));
}

/** The providers serving a county (the ones its institutions order from). */
export async function providersOfCounty(db: Database, countyCode: string) {
  return (await providerRows(db).where('p.county_code', '=', countyCode).orderBy('p.code').execute()).map(providerOut);
}
