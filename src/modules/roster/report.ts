// What an import answers, the CLI and the admin screen alike: how many lines were added, updated,
// unchanged and refused, and every refused line's problems; a file that cannot be read at all is an
// error carrying its reason in both languages (for the CLI) and, over HTTP, its rule and facts (for the
// web app to word in the user's language).
import { AppError, type FieldProblem } from '../../core/problem';
import type { FileProblem, HeaderColumns, LineProblem } from '../../engine/roster/lines';
import type { FileFormat } from './read';

export type ImportKind = 'roster' | 'diagnoses';

export interface ImportOptions {
  /** Check and count, write nothing (but the import's own audit row). */
  dryRun?: boolean;
  /** Write nothing when any line is refused (by default the good lines are written and the bad ones reported). */
  strict?: boolean;
  /** The file's name, for the audit row. */
  fileName?: string;
  /** Called once every line is checked and looked up, before anything is written. */
  onChecked?: (problems: LineProblem[], summary: ImportSummary) => void;
  /** The writing, person by person (their row, then their audit row). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  refused: number;
}

export interface ImportReport {
  kind: ImportKind;
  /** The id that the import's audit_log row and every person_audit row it wrote carry. */
  importId: string;
  format: FileFormat;
  dryRun: boolean;
  /** false when dry-run, or strict with a line refused: then nothing but the audit row was written. */
  written: boolean;
  /** Data lines in the file (blank lines not counted). */
  lines: number;
  /** What was written, or would be for a dry run. */
  summary: ImportSummary;
  /** Every problem of every refused line, by line number. */
  problems: LineProblem[];
}

/** The field problem of an unreadable file: at `body.file`, its rule, and for a wrong header the columns. */
export interface FileFieldProblem extends FieldProblem {
  columns?: HeaderColumns;
}

/**
 * The file as a whole cannot be imported: 415 when it is no workbook or CSV, 400 otherwise. The one
 * field problem names the rule (encoding_gbk, empty_file, header, …) and, for `header`, the columns
 * expected, missing, not expected and repeated; `message` is the English reason, for developers.
 */
export class ImportFileError extends AppError {
  constructor(readonly problem: FileProblem) {
    const fieldProblem: FileFieldProblem = { field: 'body.file', rule: problem.rule, message: problem.en, ...(problem.columns ? { columns: problem.columns } : {}) };
    super(problem.rule === 'file_type' ? 415 : 400, problem.rule === 'file_type' ? 'Unsupported Media Type' : 'Bad Request', problem.en, [fieldProblem]);
  }
}
