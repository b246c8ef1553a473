// Getting real people in (issue 13): the insurance agency's roster of insured persons (参保人员名单)
// and health-record diagnoses (诊断), from a CSV or an .xlsx, the same for `manbing import` and the
// admin screen. Every line is checked and every bad one reported before anything is written; then the
// good lines are written in one transaction — all of them or none — upserted by ID number (roster) or
// by person and disease (diagnoses), so a monthly file can be loaded again. Each person added or
// updated gets a person_audit row, the import itself an audit_log row.
import { randomUUID } from 'node:crypto';
import { requireAccess } from '../../core/access';
import { type Actor, writeAudit } from '../../core/audit';
import type { AppContext } from '../../core/context';
import { conflict } from '../../core/problem';
import type { AuthUser } from '../../core/user';
import { shanghaiDate } from '../../engine/calendar';
import { checkDiagnoses, lookupProblems } from '../../engine/roster/diagnoses';
import type { Checked, FileProblem, LineProblem, Table } from '../../engine/roster/lines';
import { checkRoster } from '../../engine/roster/roster';
import { planDiagnoses, writeDiagnoses } from './applyDiagnoses';
import { planRoster, summaryOf, writeRoster } from './applyRoster';
import * as q from './queries';
import { type FileFormat, readTable } from './read';
import { ImportFileError, type ImportKind, type ImportOptions, type ImportReport, type ImportSummary } from './report';

export { ImportFileError, type ImportOptions, type ImportReport } from './report';
export { ROSTER_COLUMNS } from '../../engine/roster/roster';
export { DIAGNOSIS_COLUMNS } from '../../engine/roster/diagnoses';

async function tableOf(bytes: Buffer): Promise<{ format: FileFormat; table: Table }> {
  const read = await readTable(bytes);
  if ('rule' in read) throw new ImportFileError(read);
  return read;
}

function checkedOrThrow<Row>(checked: Checked<Row> | FileProblem): Checked<Row> {
  if ('rule' in checked) throw new ImportFileError(checked);
  return checked;
}

/** 参保人员名单导入: system administration only (roster.import). */
export async function importRoster(ctx: AppContext, actor: Actor, bytes: Buffer, options: ImportOptions = {}): Promise<ImportReport> {
  await requireAccess(ctx, actor, 'roster.import');
  const { format, table } = await tableOf(bytes);
  const levels = await q.regionLevels(ctx.db);
  const checked = checkedOrThrow(checkRoster(table, { today: shanghaiDate(ctx.now()), regionLevel: (code) => levels.get(code) }));
  return inTransaction(ctx, actor, 'roster', format, checked.lines, options, async (trx, importId) => {
    const plan = await planRoster(trx, checked.rows);
    return { summary: summaryOf(plan, checked.refused), problems: checked.problems, write: () => writeRoster(trx, actor, importId, plan, options.onProgress) };
  });
}

/**
 * 诊断导入 (diagnoses.import): a system administrator for any institution; an institution
 * administrator only for lines naming their own institution (others refused line by line, rule
 * own_institution, and so are lines without one). The person may live anywhere: a hospital
 * diagnoses whoever comes.
 */
export async function importDiagnoses(ctx: AppContext, actor: Actor, bytes: Buffer, options: ImportOptions = {}): Promise<ImportReport> {
  await requireAccess(ctx, actor, 'diagnoses.import');
  const { format, table } = await tableOf(bytes);
  const [diseases, institutions] = await Promise.all([q.diseaseCodes(ctx.db), q.institutionsByCode(ctx.db)]);
  const checked = checkedOrThrow(checkDiagnoses(table, { today: shanghaiDate(ctx.now()), isDisease: (c) => diseases.has(c), isInstitution: (c) => institutions.has(c) }));
  const scoped = ownInstitutionOnly(actor.user, checked, institutions);
  return inTransaction(ctx, actor, 'diagnoses', format, scoped.lines, options, async (trx, importId) => {
    const plan = await planDiagnoses(trx, scoped.rows, institutions);
    const problems = [...scoped.problems, ...plan.problems].sort((a, b) => a.line - b.line);
    return { summary: summaryOf(plan, scoped.refused + plan.problems.length), problems, write: () => writeDiagnoses(trx, actor, importId, plan, options.onProgress) };
  });
}

function ownInstitutionOnly<Row extends { line: number; institution_code: string | null }>(user: AuthUser, checked: Checked<Row>, institutions: Map<string, string>): Checked<Row> {
  if (user.role !== 'institution_admin') return checked;
  const own = [...institutions].find(([, id]) => id === user.institutionId)?.[0] ?? '';
  const outside = checked.rows.filter((r) => r.institution_code !== own);
  if (!outside.length) return checked;
  const problems: LineProblem[] = [...checked.problems, ...outside.map((r) => lookupProblems.otherInstitution(r.line, own))].sort((a, b) => a.line - b.line);
  return { ...checked, rows: checked.rows.filter((r) => r.institution_code === own), problems, refused: checked.refused + outside.length };
}

/** What an import would do, found inside the transaction, and how to do it. */
interface Plan {
  summary: ImportSummary;
  problems: LineProblem[];
  write: () => Promise<void>;
}

/**
 * One transaction: the lookups, then — every refused line known and handed to onChecked — the writes
 * unless dry-run (or strict with a refused line), and the import's own audit row (a dry run's too).
 */
async function inTransaction(ctx: AppContext, actor: Actor, kind: ImportKind, format: FileFormat, lines: number, options: ImportOptions, planOf: (trx: AppContext['db'], importId: string) => Promise<Plan>): Promise<ImportReport> {
  const importId = randomUUID();
  const dryRun = options.dryRun ?? false;
  const strict = options.strict ?? false;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await q.lockImports(trx, kind);
      const plan = await planOf(trx, importId);
      options.onChecked?.(plan.problems, plan.summary);
      const written = !dryRun && !(strict && plan.summary.refused > 0);
      if (written) await plan.write();
      await writeAudit(trx, actor, [{
        action: written ? 'create' : 'read', entity: `import.${kind}`, entityId: importId, personId: null,
        detail: { file: options.fileName ?? null, format, lines, ...plan.summary, dryRun, strict, written },
      }]);
      return { kind, importId, format, dryRun, written, lines, summary: plan.summary, problems: plan.problems };
    });
  } catch (e) {
    // the lock keeps imports apart; a person added by another path at the same moment is a retry
    if ((e as { code?: string }).code === '23505') throw conflict('import_collided', 'Someone else wrote one of these people at the same moment; nothing was imported — run the import again');
    throw e;
  }
}

/**
 * The account `manbing import --as <username>` acts as: its role and scope decide, as they would signed
 * in, and the audit rows name it. Only the two roles that hold an import permission need a scope here;
 * any other is refused by requireAccess (and the refusal audited). A disabled account acts as no one.
 */
export async function actorOfAccount(ctx: AppContext, username: string): Promise<Actor | null> {
  const row = await q.accountByUsername(ctx.db, username);
  if (!row || row.disabled) return null;
  const everywhere = row.role === 'system_admin';
  const user: AuthUser = {
    id: row.id, username: row.username, displayName: row.display_name, role: row.role,
    scope: everywhere ? { kind: 'all', id: null, name: '全部', regionPrefix: '' } : { kind: 'institution', id: row.institution_id, name: row.institution_name ?? '', regionPrefix: row.institution_county },
    practitionerId: null, teamId: null, institutionId: row.institution_id, personId: null, deliveryProviderId: null, mustChangePassword: false,
  };
  return { user, ip: null };
}
