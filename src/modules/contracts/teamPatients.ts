// The family doctor's list: contracted patients, those expiring, the diagnosed residents of the
// team's town still to sign, and patients whose filings came back — with each one's registration
// state per disease so the next step is visible in the row.
import { type ExpressionBuilder, sql } from 'kysely';
import { addDays, ageOn, daysBetween, shanghaiDate } from '../../engine/calendar';
import { maskResidentId } from '../../engine/identity/residentId';
import type { DB } from '../../db/schema';
import type { AppContext } from '../../server/context';
import { forbidden } from '../../server/problem';
import { type Actor, writeAudit } from '../audit/log';

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
    eb.selectFrom('filing_disease as d').innerJoin('registration_filing as f', 'f.id', 'd.filing_id').select('d.filing_id')
      .whereRef('d.person_id', '=', 'person.id').where('d.open', '=', true).where('f.status', '=', status)
      .$if(!!disease, (qb) => qb.where('d.disease_code', '=', disease!)),
  );

export async function teamPatients(ctx: AppContext, actor: Actor, f: TeamPatientsFilter) {
  const user = actor.user;
  if (user.role !== 'family_doctor' || !user.teamId) throw forbidden('The team list is for family doctors');
  const today = shanghaiDate(ctx.now());
  const town = user.scope.regionPrefix!;

  let query = ctx.db
    .selectFrom('person')
    .leftJoin('contract as c', (join) => join.onRef('c.person_id', '=', 'person.id').on('c.status', '=', 'active'))
    .innerJoin('region', 'region.code', 'person.region_code');
  if (f.list === 'unsigned') {
    query = query
      .where('person.region_code', '=', town)
      .where((eb) => eb.or([eb('c.id', 'is', null), eb('c.end_date', '<', today)]))
      .where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'person.id')));
  } else {
    query = query.where('c.team_id', '=', user.teamId);
    if (f.list === 'expiring') query = query.where('c.end_date', '<=', addDays(today, 30));
    if (f.list === 'attention') query = query.where((eb) => hasOpenFiling(eb, 'returned'));
  }
  if (f.disease)
    query = query.where((eb) => eb.exists(eb.selectFrom('person_condition as pc').select('pc.person_id').whereRef('pc.person_id', '=', 'person.id').where('pc.disease_code', '=', f.disease!)));
  if (f.registration === 'confirmed') query = query.where((eb) => hasOpenRegistration(eb, f.disease));
  if (f.registration === 'pending') query = query.where((eb) => hasOpenFiling(eb, 'submitted', f.disease));
  if (f.registration === 'returned') query = query.where((eb) => hasOpenFiling(eb, 'returned', f.disease));
  if (f.registration === 'none')
    query = query.where((eb) => eb.not(eb.or([hasOpenRegistration(eb, f.disease), hasOpenFiling(eb, 'submitted', f.disease), hasOpenFiling(eb, 'returned', f.disease)])));
  if (f.q) query = query.where(sql`person.name collate "C"`, 'like', `${f.q.replace(/[\\%_]/g, '\\$&')}%`);

  const order = f.list === 'expiring' ? sql`c.end_date` : sql`person.name collate "C"`;
  const [rows, count] = await Promise.all([
    query
      .select([
        'person.id', 'person.name', 'person.sex', 'person.birth_date', 'person.id_number', 'person.phone', 'person.region_code', 'region.name as region_name',
        'c.id as contract_id', 'c.start_date', 'c.end_date', 'c.status as contract_status',
      ])
      .orderBy(order)
      .orderBy('person.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const ids = rows.map((r) => r.id);
  const [conditions, registrations, filings] = ids.length
    ? await Promise.all([
        ctx.db.selectFrom('person_condition as pc').innerJoin('disease as d', 'd.code', 'pc.disease_code').select(['pc.person_id', 'd.code', 'd.name_zh']).where('pc.person_id', 'in', ids).execute(),
        ctx.db.selectFrom('registration').select(['person_id', 'disease_code']).where('person_id', 'in', ids).where('effective_to', 'is', null).execute(),
        ctx.db
          .selectFrom('filing_disease as d')
          .innerJoin('registration_filing as f', 'f.id', 'd.filing_id')
          .select(['d.person_id', 'd.disease_code', 'f.status', 'f.id'])
          .where('d.person_id', 'in', ids)
          .where('d.open', '=', true)
          .execute(),
      ])
    : [[], [], []];
  await writeAudit(ctx.db, actor, rows.map((r) => ({ action: 'search', entity: 'person', entityId: r.id, personId: r.id, detail: { list: f.list } })));

  return {
    total: Number(count.n),
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
