// The family doctor's list: contracted patients, those expiring, the diagnosed residents of the
// team's town still to sign, and patients whose filings came back — with each one's registration
// state per disease so the next step is visible in the row.
import { type ExpressionBuilder, sql } from 'kysely';
import { addDays, ageOn, daysBetween, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { DB } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';

export type TeamList = 'contracted' | 'unsigned' | 'expiring' | 'attention';
export type RegistrationState = 'none' | 'pending' | 'returned' | 'confirmed';

export interface TeamPatientsFilter {
  list: TeamList;
  disease?: string;
  registration?: RegistrationState;
  q?: string;
  limit: number;
  offset: number;
}

type Eb = ExpressionBuilder<DB, 'person'>;

const hasOpenRegistration = (eb: Eb, disease?: string) =>
  eb.exists(
    eb.selectFrom('registration as r').select('r.id').whereRef('r.person_id', '=', 'person.id').where('r.effective_to', 'is', null)
      .$if(!!disease, (qb) => qb.where('r.disease_code', '=', disease!)),
  );
const hasOpenFiling = (eb: Eb, status: 'submitted' | 'returned', disease?: string) =>
  eb.exists(
    eb.selectFrom('filing_disease as d').innerJoin('registration_filing as f', (j) => j.onRef('f.person_id', '=', 'd.person_id').onRef('f.id', '=', 'd.filing_id')).select('d.filing_id')
      .whereRef('d.person_id', '=', 'person.id').where('d.open', '=', true).where('f.status', '=', status)
      .$if(!!disease, (qb) => qb.where('d.disease_code', '=', disease!)),
  );

export async function teamPatients(ctx: AppContext, actor: Actor, f: TeamPatientsFilter) {
  const user = actor.user;
  await requireAccess(ctx, actor, 'team.read', { teamId: user.teamId });
  const today = shanghaiDate(ctx.now());
  const town = user.scope.regionPrefix!;

  // The candidate set is small (a team's contracts, or one town's diagnosed residents): it is
  // materialised first so the planner sorts a few thousand rows instead of walking the city's name index.
  const unsigned = ctx.db
    .selectFrom('person')
    .select([
      'person.id', sql<string | null>`null::uuid`.as('contract_id'), sql<string | null>`null::date`.as('start_date'),
      sql<string | null>`null::date`.as('end_date'), sql<string | null>`null::text`.as('contract_status'),
    ])
    .where('person.region_code', '=', town)
    .where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'person.id')))
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('contract as cc').select('cc.id').whereRef('cc.person_id', '=', 'person.id').where('cc.status', '=', 'active').where('cc.end_date', '>=', today),
    )));
  const contracted = ctx.db
    .selectFrom('contract as cc')
    .select(['cc.person_id as id', 'cc.id as contract_id', 'cc.start_date', 'cc.end_date', 'cc.status as contract_status'])
    .where('cc.team_id', '=', user.teamId)
    .where('cc.status', '=', 'active')
    .$if(f.list === 'expiring', (qb) => qb.where('cc.end_date', '<=', addDays(today, 30)))
    .$if(f.list === 'attention', (qb) => qb.where((eb) => eb.exists(
      eb.selectFrom('filing_disease as d').innerJoin('registration_filing as rf', (j) => j.onRef('rf.person_id', '=', 'd.person_id').onRef('rf.id', '=', 'd.filing_id')).select('d.filing_id')
        .whereRef('d.person_id', '=', 'cc.person_id').where('d.open', '=', true).where('rf.status', '=', 'returned'),
    )));
  // both yield one id column; the cast only unifies their builder types
  const candidates = f.list === 'unsigned' ? unsigned : (contracted as unknown as typeof unsigned);

  let query = ctx.db
    .with((wb) => wb('candidate').materialized(), () => candidates)
    .selectFrom('candidate')
    .innerJoin('person', 'person.id', 'candidate.id')
    .innerJoin('region', 'region.code', 'person.region_code');
  if (f.disease)
    query = query.where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'person.id').where('pc.disease_code', '=', f.disease!)));
  if (f.registration === 'confirmed') query = query.where((eb) => hasOpenRegistration(eb, f.disease));
  if (f.registration === 'pending') query = query.where((eb) => hasOpenFiling(eb, 'submitted', f.disease));
  if (f.registration === 'returned') query = query.where((eb) => hasOpenFiling(eb, 'returned', f.disease));
  if (f.registration === 'none')
    query = query.where((eb) => eb.not(eb.or([hasOpenRegistration(eb, f.disease), hasOpenFiling(eb, 'submitted', f.disease), hasOpenFiling(eb, 'returned', f.disease)])));
  if (f.q) query = query.where(sql`person.name collate "C"`, 'like', `${f.q.replace(/[\\%_]/g, '\\$&')}%`);

  const order = f.list === 'expiring' ? sql`candidate.end_date` : sql`person.name collate "C"`;
  // the total rides along as a window count: one pass over the candidates instead of two
  const rows = await query
    .select([
      'person.id', 'person.name', 'person.sex', 'person.birth_date', 'person.id_number', 'person.phone', 'person.region_code', 'region.name as region_name',
      'candidate.contract_id', 'candidate.start_date', 'candidate.end_date', 'candidate.contract_status', sql<number>`count(*) over ()`.as('total'),
    ])
    .orderBy(order)
    .orderBy('person.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = rows.length ? Number(rows[0].total) : f.offset === 0 ? 0 : Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const ids = rows.map((r) => r.id);
  const [conditions, registrations, filings] = ids.length
    ? await Promise.all([
        ctx.db.selectFrom('person_condition as pc').innerJoin('disease as d', 'd.code', 'pc.disease_code').select(['pc.person_id', 'd.code', 'd.name_zh']).where('pc.person_id', 'in', ids).execute(),
        ctx.db.selectFrom('registration').select(['person_id', 'disease_code']).where('person_id', 'in', ids).where('effective_to', 'is', null).execute(),
        ctx.db
          .selectFrom('filing_disease as d')
          .innerJoin('registration_filing as f', (j) => j.onRef('f.person_id', '=', 'd.person_id').onRef('f.id', '=', 'd.filing_id'))
          .select(['d.person_id', 'd.disease_code', 'f.status', 'f.id'])
          .where('d.person_id', 'in', ids)
          .where('d.open', '=', true)
          .execute(),
      ])
    : [[], [], []];
  await writeAudit(ctx.db, actor, rows.map((r) => ({ action: 'search', entity: 'person', entityId: r.id, personId: r.id, detail: { list: f.list } })));

  return {
    total,
    items: rows.map((r) => {
      const mine = conditions.filter((c) => c.person_id === r.id);
      return {
        person: { id: r.id, name: r.name, sex: r.sex, age: ageOn(r.birth_date, today), idNumber: maskResidentId(r.id_number), phone: r.phone, region: { code: r.region_code, name: r.region_name } },
        conditions: mine.map((c) => ({ code: c.code, name: c.name_zh })),
        contract: r.contract_id ? { id: r.contract_id, startDate: r.start_date!, endDate: r.end_date!, status: r.contract_status!, daysToEnd: daysBetween(today, r.end_date!) } : null,
        registrations: mine.map((c) => {
          const filing = filings.find((x) => x.person_id === r.id && x.disease_code === c.code);
          const confirmed = registrations.some((x) => x.person_id === r.id && x.disease_code === c.code);
          const state: RegistrationState = filing ? (filing.status === 'returned' ? 'returned' : 'pending') : confirmed ? 'confirmed' : 'none';
          return { disease: c.code, name: c.name_zh, state, filingId: filing?.id ?? null };
        }),
      };
    }),
  };
}
