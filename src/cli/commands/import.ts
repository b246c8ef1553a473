// `manbing import roster|diagnoses --in <file.csv|file.xlsx> [--as <username>] [--dry-run] [--strict] [--lang en]`
// The agency's roster of insured persons and health-record diagnoses (issue 13, docs/roster.md),
// through the same service as the admin screen. Every refused line goes to stderr as
// `file:line: field: reason` before anything is written; the summary to stdout. Exit code 1 when a
// line was refused or the file could not be read, 0 otherwise. Reasons in Chinese unless `--lang en`
// or a LANG starting with "en".
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AppContext } from '../../core/context';
import { consoleActor } from '../../core/audit';
import { AppError } from '../../core/problem';
import type { LineProblem } from '../../engine/roster/lines';
import { progressBar } from '../progress';
import { registerImportFhir } from './importFhir';

type Lang = 'zh-CN' | 'en';
type Kind = 'roster' | 'diagnoses';

/** How the command reaches a database: tests hand it theirs. */
export interface ImportDeps {
  open: () => Promise<{ ctx: AppContext; close: () => Promise<void> }>;
}

export async function openDefault() {
  const { loadConfig } = await import('../../config');
  const { openForCommand } = await import('../open');
  const { PolicyBook } = await import('../../core/policyBook');
  const config = loadConfig();
  // while `manbing start` holds the embedded database this refuses, naming the server — its admin
  // screen imports the same files
  const connection = await openForCommand(config);
  const ctx: AppContext = { db: connection.db, config, now: () => new Date(), policies: PolicyBook.load() };
  return { ctx, close: () => connection.close() };
}

const langOf = (option: string | undefined): Lang => (/^en/i.test(option ?? process.env.LANG ?? '') ? 'en' : 'zh-CN');

const TEXT = {
  'zh-CN': {
    roster: '参保人员名单', diagnoses: '诊断',
    summary: (s: Summary) => `新增 ${s.added}，更新 ${s.updated}，未变 ${s.unchanged}，拒绝 ${s.refused}`,
    lines: (n: number) => `共 ${n} 行`,
    dryRun: '试运行：只检查，未写入任何数据（上面是将会发生的变化）',
    strict: '--strict：有被拒绝的行，未写入任何数据',
    refused: (n: number) => `${n} 行被拒绝：修正后可重新导入同一文件（已导入的行会显示为未变）`,
    noAccount: (u: string) => `没有可用的账号 ${u}`,
    writing: '写入',
  },
  en: {
    roster: 'roster', diagnoses: 'diagnoses',
    summary: (s: Summary) => `added ${s.added}, updated ${s.updated}, unchanged ${s.unchanged}, refused ${s.refused}`,
    lines: (n: number) => `${n} line${n === 1 ? '' : 's'}`,
    dryRun: 'dry run: checked only, nothing was written (the above is what would change)',
    strict: '--strict: lines were refused, so nothing was written',
    refused: (n: number) => `${n} line(s) refused: fix them and import the same file again (lines already in show as unchanged)`,
    noAccount: (u: string) => `no usable account ${u}`,
    writing: 'writing',
  },
};
interface Summary {
  added: number;
  updated: number;
  unchanged: number;
  refused: number;
}

export function registerImport(program: Command, deps: ImportDeps = { open: openDefault }) {
  const command = program.command('import').description('Import the insurance agency’s roster of insured persons or health-record diagnoses from a CSV (UTF-8) or an .xlsx (docs/roster.md), or hospitals’ FHIR bundles (docs/fhir.md)');
  const sub = (kind: Kind, columns: string) =>
    command
      .command(kind)
      .description(kind === 'roster' ? `参保人员名单, upserted by ID number; header: ${columns}` : `诊断 into the health record, upserted by person and disease; header: ${columns}`)
      .requiredOption('--in <file>', 'the file: .csv (UTF-8, with or without BOM) or .xlsx (first worksheet)')
      .option('--as <username>', `the account the import is done as and audited under (${kind === 'roster' ? 'a system_admin' : 'a system_admin, or an institution_admin for their own institution'}); without it, the console's operating-system user, as system administrator`)
      .option('--dry-run', 'check every line and say what would change; write nothing', false)
      .option('--strict', 'write nothing when any line is refused (by default the good lines are written)', false)
      .option('--lang <lang>', 'language of the messages: zh-CN (default) or en; LANG=en… also selects English')
      .action((opts: { in: string; as?: string; dryRun: boolean; strict: boolean; lang?: string }) => runImport(kind, opts, deps));
  sub('roster', 'name,sex,birth_date,id_number,phone,region_code,insurance_type,insured_since');
  sub('diagnoses', 'id_number,disease_code,diagnosed_on,source,institution_code');
  registerImportFhir(command, deps);
}

async function runImport(kind: Kind, opts: { in: string; as?: string; dryRun: boolean; strict: boolean; lang?: string }, deps: ImportDeps) {
  const lang = langOf(opts.lang);
  const t = TEXT[lang];
  const bytes = await readFile(opts.in);
  const service = await import('../../modules/roster/service');
  const { ctx, close } = await deps.open();
  const bar = process.stderr.isTTY ? progressBar(t.writing) : null;
  const started = Date.now();
  try {
    const actor = opts.as ? await service.actorOfAccount(ctx, opts.as) : consoleActor(userInfo().username);
    if (!actor) {
      console.error(t.noAccount(opts.as!));
      process.exitCode = 1;
      return;
    }
    const say = (p: LineProblem) => console.error(`${opts.in}:${p.line}: ${p.field ? `${p.field}: ` : ''}${lang === 'en' ? p.en : p.zh}`);
    const run = kind === 'roster' ? service.importRoster : service.importDiagnoses;
    const report = await run(ctx, actor, bytes, {
      dryRun: opts.dryRun, strict: opts.strict, fileName: opts.in,
      onChecked: (problems) => problems.forEach(say), // before anything is written
      onProgress: bar ? (done, total) => bar.update(done, total) : undefined,
    });
    bar?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${t[kind]} ${opts.in}: ${t.lines(report.lines)}; ${t.summary(report.summary)} (${seconds} s)`);
    if (report.dryRun) console.log(t.dryRun);
    else if (!report.written) console.log(t.strict);
    if (report.summary.refused > 0) {
      console.error(t.refused(report.summary.refused));
      process.exitCode = 1;
    }
  } catch (e) {
    bar?.stop();
    if (!(e instanceof AppError)) throw e;
    // a file that cannot be read at all says why in the chosen language; a refusal (403, 409) in English
    const why = e instanceof service.ImportFileError ? (lang === 'en' ? e.problem.en : e.problem.zh) : e.message;
    console.error(`${opts.in}: ${why}`);
    process.exitCode = 1;
  } finally {
    await close();
  }
}
