// What the directory's use cases share (issue 13): problems at their fields, the 409 of a row still in
// use, the fields an update changes (for the audit row), a transaction whose constraint refusals become
// problems, and the institution a team or practitioner list or change is scoped to.
import { shanghaiDate } from '../../engine/calendar';
import type { Database } from '../../db/connect';
import type { AppContext } from '../../core/context';
import { AppError, badRequest, conflict, type FieldProblem } from '../../core/problem';
import type { Actor } from '../../core/audit';
import { grantOf, requireAccess } from '../../core/access';
import * as q from './queries';

export const fail = (problems: FieldProblem[]) => badRequest(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
/** A 409 that names the field whose value collides with a stored row (conflict() names none). */
export const conflictAt = (field: string, rule: string, detail: string) => new AppError(409, 'Conflict', detail, [{ field, rule, message: detail }]);
/** A 409 listing everything that refers to the row, one rule each. */
export const inUse = (what: string, reasons: Array<{ rule: string; message: string }>) =>
  new AppError(409, 'Conflict', `The ${what} is referenced: ${reasons.map((r) => r.message).join('; ')}`, reasons.map((r) => ({ field: '', ...r })));

/** The fields whose value differs, as { field: { from, to } } for the audit row. */
export function changes(before: Record<string, unknown>, after: Record<string, unknown>) {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) if (v !== undefined && before[k] !== v) out[k] = { from: before[k] ?? null, to: v };
  return out;
}

/**
 * The database's refusals the use cases' checks did not foresee (a race between two administrators):
 * a unique key as a 409 at its field, a foreign key as a 409 naming the reference, a CHECK as a 400.
 */
function mapConstraint(error: unknown): never {
  const e = error as { code?: string; constraint?: string };
  const c = e?.constraint ?? '';
  if (e?.code === '23505') {
    if (c.includes('license_no')) throw conflictAt('body.licenseNo', 'licence_unique', 'This licence number is already registered');
    if (c.includes('code')) throw conflictAt('body.code', 'code_unique', 'This institution code is already in use');
    throw conflict('unique', 'A row with these values exists already');
  }
  if (e?.code === '23503') throw conflict('referenced', `Another record refers to this one (${c || 'a foreign key'})`);
  if (e?.code === '23514') {
    const field = c.includes('phone') ? 'body.phone' : c.includes('address') ? 'body.address' : c.includes('name') ? 'body.name' : c.startsWith('institution_check') ? 'body.kind' : 'body';
    throw badRequest(`The value does not meet the rule ${c}`, [{ field, rule: c.includes('phone') ? 'phone_format' : 'check', message: `refused by ${c}` }]);
  }
  throw error;
}

export async function write<T>(ctx: AppContext, work: (trx: Database) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction().execute(work);
  } catch (error) {
    if (error instanceof AppError) throw error;
    return mapConstraint(error);
  }
}

/** Today in Asia/Shanghai, by the context's clock. */
export const today = (ctx: AppContext) => shanghaiDate(ctx.now());

// ---- the institution an administrator of teams and practitioners works in ----

/**
 * The institution a team or practitioner list keeps to: the one asked for (checked against the
 * caller's scope: 403 outside it), else the caller's own unless they may see every institution.
 */
export async function institutionOfList(ctx: AppContext, actor: Actor, asked?: string): Promise<string | undefined> {
  if (asked) {
    await requireAccess(ctx, actor, 'team.manage', { institutionId: asked });
    return asked;
  }
  const everywhere = grantOf('team.manage', actor.user.role) === 'everywhere';
  await requireAccess(ctx, actor, 'team.manage', everywhere ? undefined : { institutionId: actor.user.institutionId });
  return everywhere ? undefined : actor.user.institutionId!;
}

/** An institution named in a request body: in the caller's scope (403), and one that exists (400 at the field). */
export async function institutionForWrite(ctx: AppContext, actor: Actor, institutionId: string, field = 'body.institutionId') {
  await requireAccess(ctx, actor, 'team.manage', { institutionId });
  const inst = await q.institution(ctx.db, institutionId);
  if (!inst) throw fail([{ field, rule: 'known_institution', message: 'no such institution' }]);
  return inst;
}
