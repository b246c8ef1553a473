// What an import answers, the CLI and the admin screen alike: how many lines were added, updated,
// unchanged and refused, and every refused line's problems; a file that cannot be read at all is an
// error carrying its reason in both languages.
import { AppError } from '../../core/problem';
import type { FileProblem, LineProblem } from '../../engine/roster/lines';
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

/** The file as a whole cannot be imported: 415 when it is no workbook or CSV, 400 otherwise. */
export class ImportFileError extends AppError {
  constructor(readonly problem: FileProblem) {
    super(problem.rule === 'file_type' ? 415 : 400, problem.rule === 'file_type' ? 'Unsupported Media Type' : 'Bad Request', problem.en, [{ field: 'body.file', rule: problem.rule, message: problem.en }]);
  }
}
