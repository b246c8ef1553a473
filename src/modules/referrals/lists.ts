// Reading referrals: the boxes (a team's up-referrals out and down-referrals to follow up, a hospital's
// incoming queue and the down-referrals it sent), one referral with its history, a person's referrals,
// and the hospitals a family doctor may refer to. A box is brought up to date (expiry, follow-ups)
// before it is read.
import { shanghaiDate } from '../../engine/calendar';
import type { ReferralStatus } from '../../db/schema';
import type { AppContext } from '../../core/context';
import { type Actor, writeAudit } from '../../core/audit';
import { requireAccess } from '../../core/access';
import { forbidden, notFound } from '../../core/problem';
import * as q from './queries';
import { expireStale, recordFollowUps } from './upkeep';
import { referralItem, referralView } from './view';

export type Box = 'out' | 'in' | 'down';

const DEFAULT_STATUSES: Record<Box, ReferralStatus[]> = {
  out: ['requested', 'accepted', 'declined', 'attended', 'completed', 'expired'],
  in: ['requested', 'accepted', 'attended'],
  down: ['requested', 'accepted'],
};

export interface BoxQuery {
  box: Box;
  status?: ReferralStatus[];
  overdue?: boolean;
  limit: number;
  offset: number;
}

export async function listReferrals(ctx: AppContext, actor: Actor, f: BoxQuery) {
  await requireAccess(ctx, actor, 'referral.read');
  const { role, teamId, institutionId } = actor.user;
  // a team's boxes are out and down, a hospital's in and the down-referrals it sent
  const fits = role === 'family_doctor' ? f.box !== 'in' && !!teamId : role === 'specialist' ? f.box !== 'out' && !!institutionId : false;
  if (!fits) throw forbidden(`The ${f.box} box is not your role’s`);
  const byTeam = role === 'family_doctor';
  if (f.box === 'in') await expireStale(ctx, { toInstitutionId: institutionId! });
  if (f.box === 'out') await expireStale(ctx, { fromTeamId: teamId! });
  if (f.box === 'down') await recordFollowUps(ctx, byTeam ? { toTeamId: teamId! } : { fromInstitutionId: institutionId! });
  const today = shanghaiDate(ctx.now());
  const { rows, total } = await q.listBox(ctx.db, {
    box: f.box, teamId: byTeam ? teamId : null, institutionId: byTeam ? null : institutionId, statuses: f.status?.length ? f.status : DEFAULT_STATUSES[f.box],
    overdueOn: f.overdue ? today : undefined, limit: f.limit, offset: f.offset,
  });
  await writeAudit(ctx.db, actor, [{ action: 'search', entity: 'referral', entityId: byTeam ? teamId : institutionId, detail: { box: f.box, status: f.status ?? null, overdue: !!f.overdue } }]);
  return { total, items: rows.map((r) => referralItem(r, actor.user, ctx.now())) };
}

/** The target a referral is for the access table: its team side, its hospital side, its county and its person. */
export const referralTarget = (r: Pick<q.ReferralRow, 'direction' | 'person_id' | 'from_team_id' | 'to_team_id' | 'to_institution_id' | 'from_institution_id' | 'county_code'>) => ({
  personId: r.person_id,
  teamId: r.direction === 'up' ? r.from_team_id : r.to_team_id,
  institutionId: r.direction === 'up' ? r.to_institution_id : r.from_institution_id,
  regionCode: r.county_code,
});

/** One referral with its history, as its page shows it. */
export async function getReferral(ctx: AppContext, actor: Actor, id: string) {
  const found = await q.findReferral(ctx.db, id);
  await requireAccess(ctx, actor, 'referral.read', found ? referralTarget(found) : { personId: null });
  if (!found) throw notFound('No such referral');
  await expireStale(ctx, { referralId: id, personId: found.person_id });
  if (found.direction === 'down') await recordFollowUps(ctx, { referralId: id, personId: found.person_id });
  const [head, events] = await Promise.all([q.headOf(ctx.db, found.person_id, id), q.eventsOf(ctx.db, found.person_id, id)]);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'referral', entityId: id, personId: found.person_id }]);
  return referralView(head, events, actor.user, ctx.now());
}

/** A person's referrals, newest first (the chart). */
export async function personReferrals(ctx: AppContext, actor: Actor, personId: string) {
  await requireAccess(ctx, actor, 'person.chart.read', { personId });
  const rows = await q.personReferrals(ctx.db, personId);
  await writeAudit(ctx.db, actor, [{ action: 'read', entity: 'referral', personId }]);
  return rows.map((r) => referralItem(r, actor.user, ctx.now()));
}

/** The secondary and tertiary hospitals of the doctor's city, tertiary first. */
export async function destinations(ctx: AppContext, actor: Actor) {
  await requireAccess(ctx, actor, 'referral.create');
  const city = (actor.user.scope.regionPrefix ?? '').slice(0, 4);
  const rows = await ctx.db.selectFrom('institution').select(['id', 'name', 'level', 'county_code'])
    .where('level', 'in', ['secondary', 'tertiary']).where('county_code', 'like', `${city}%`)
    .orderBy('level', 'desc').orderBy('county_code').orderBy('name').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, countyCode: r.county_code }));
}
