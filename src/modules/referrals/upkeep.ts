// The referrals' daily upkeep, also applied to a box before it is listed: up-referrals past their expiry
// day expire (a requested one unanswered, an accepted one not attended, engine/referral/rules.ts), and a
// down-referral whose team has since recorded a follow-up visit on or after the discharge date is marked
// followed up — so the visit service needs no hook and the overdue flag never outlives the visit. Each
// is one statement that moves the rows and writes their history (user null: the system did it).
import { sql } from 'kysely';
import { shanghaiDate, type IsoDate } from '../../engine/calendar';
import type { AppContext } from '../../core/context';
import { claimJobDay, startPeriodicJob } from '../../core/dailyJob';

export interface UpkeepScope {
  /** Only the referrals of this box: a hospital's incoming, a team's down-referrals, one referral. */
  toInstitutionId?: string;
  toTeamId?: string;
  fromTeamId?: string;
  fromInstitutionId?: string;
  referralId?: string;
  personId?: string;
}

const narrowed = (s: UpkeepScope) => sql.join([
  sql`true`,
  ...(s.toInstitutionId ? [sql`r.to_institution_id = ${s.toInstitutionId}`] : []),
  ...(s.toTeamId ? [sql`r.to_team_id = ${s.toTeamId}`] : []),
  ...(s.fromTeamId ? [sql`r.from_team_id = ${s.fromTeamId}`] : []),
  ...(s.fromInstitutionId ? [sql`r.from_institution_id = ${s.fromInstitutionId}`] : []),
  ...(s.referralId ? [sql`r.id = ${s.referralId} and r.person_id = ${s.personId!}`] : []),
], sql` and `);

/** Expires the up-referrals whose expiry day has passed; answers how many. */
export async function expireStale(ctx: Pick<AppContext, 'db' | 'now'>, scope: UpkeepScope = {}, today: IsoDate = shanghaiDate(ctx.now())) {
  const at = ctx.now();
  const { rows } = await sql<{ n: number }>`
    with stale as (
      select r.id, r.person_id, r.status from referral r
      where r.direction = 'up' and r.status in ('requested', 'accepted') and r.expires_on < ${today}::date and ${narrowed(scope)}
      for update
    ), moved as (
      update referral r set status = 'expired' from stale s where r.id = s.id and r.person_id = s.person_id
      returning r.id, r.person_id, s.status as from_status, r.expires_on
    ), logged as (
      insert into referral_event (person_id, referral_id, at, user_id, action, from_status, to_status, reason, detail)
      select person_id, id, ${at}, null, 'expire', from_status, 'expired', null, jsonb_build_object('expiresOn', expires_on) from moved
      returning 1
    )
    select count(*)::int as n from logged`.execute(ctx.db);
  return rows[0]?.n ?? 0;
}

/** Marks followed up the down-referrals whose team has recorded a visit on or after the discharge date; answers how many. */
export async function recordFollowUps(ctx: Pick<AppContext, 'db' | 'now'>, scope: UpkeepScope = {}) {
  const at = ctx.now();
  const { rows } = await sql<{ n: number }>`
    with seen as (
      select r.id, r.person_id, r.status, v.id as visit_id, v.visit_date from referral r
      join lateral (
        select fv.id, fv.visit_date from followup_visit fv
        where fv.person_id = r.person_id and fv.team_id = r.to_team_id and fv.visit_date >= r.discharge_date
        order by fv.visit_date, fv.created_at limit 1
      ) v on true
      where r.direction = 'down' and r.status in ('requested', 'accepted') and ${narrowed(scope)}
      for update of r
    ), moved as (
      update referral r set status = 'attended', attended_at = ${at}, followed_up_visit_id = s.visit_id, followed_up_on = s.visit_date
      from seen s where r.id = s.id and r.person_id = s.person_id
      returning r.id, r.person_id, s.status as from_status, s.visit_id, s.visit_date
    ), logged as (
      insert into referral_event (person_id, referral_id, at, user_id, action, from_status, to_status, reason, detail)
      select person_id, id, ${at}, null, 'follow_up', from_status, 'attended', null,
        jsonb_build_object('visitId', visit_id, 'visitDate', visit_date, 'automatic', true) from moved
      returning 1
    )
    select count(*)::int as n from logged`.execute(ctx.db);
  return rows[0]?.n ?? 0;
}

export async function runReferralUpkeep(ctx: Pick<AppContext, 'db' | 'now'>, today: IsoDate = shanghaiDate(ctx.now())) {
  const expired = await expireStale(ctx, {}, today);
  const followedUp = await recordFollowUps(ctx);
  const result = { date: today, expired, followedUp };
  await ctx.db.insertInto('job_run').values({ job: 'referrals', run_date: today, started_at: ctx.now(), result: JSON.stringify(result) })
    .onConflict((oc) => oc.columns(['job', 'run_date']).doUpdateSet({ result: JSON.stringify(result) })).execute();
  return result;
}

/** Runs the upkeep once a day (the job_run row is claimed first, so two servers run it once), checking every `everyMs`. */
export function startReferralScheduler(ctx: Pick<AppContext, 'db' | 'now'>, options: { everyMs?: number; onError?: (e: unknown) => void } = {}) {
  return startPeriodicJob(async () => {
    const today = shanghaiDate(ctx.now());
    if (await claimJobDay(ctx.db, 'referrals', today, ctx.now())) await runReferralUpkeep(ctx, today);
  }, options);
}
