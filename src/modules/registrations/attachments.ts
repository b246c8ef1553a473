// Evidence attached to a filing (issue 13): 诊断证明, 出院小结, 检验报告 or other — a PDF, JPEG or PNG
// (by content, its name ending to match) of at most 10 MiB, sent as base64 inside the filing's JSON.
import { fileTypeFromBuffer } from 'file-type';
import { sql } from 'kysely';
import type { Database } from '../../db/connect';
import type { AttachmentKind } from '../../db/schema';
import { AppError, type FieldProblem } from '../../core/problem';

export const ATTACHMENT_KINDS: AttachmentKind[] = ['diagnosis_certificate', 'discharge_summary', 'lab_report', 'other'];
/** One attachment: at most 10 MiB (what the form promises as "10 MB"). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Attachments per request (filing or fix). */
export const MAX_ATTACHMENTS_PER_REQUEST = 3;
/** The body of a filing or a fix: three attachments' base64 (4/3 of their bytes) and room for the rest. */
export const FILING_BODY_LIMIT = Math.ceil((MAX_ATTACHMENTS_PER_REQUEST * MAX_ATTACHMENT_BYTES) / 3) * 4 + 256 * 1024;

export interface AttachmentInput {
  kind: AttachmentKind;
  name: string;
  contentBase64: string;
}

export interface CheckedAttachment {
  kind: AttachmentKind;
  name: string;
  mediaType: 'application/pdf' | 'image/jpeg' | 'image/png';
  bytes: Buffer;
}

const ACCEPTED: Record<string, { label: string; extensions: string[] }> = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  'image/png': { label: 'PNG', extensions: ['png'] },
};

/**
 * Every attachment's bytes, once each is known to be a PDF, JPEG or PNG by content, at most 10 MiB, with
 * a name ending as its content says: 413 when one is larger, 415 for a type (all problems at once).
 */
export async function checkAttachments(inputs: AttachmentInput[]): Promise<CheckedAttachment[]> {
  const tooLarge: FieldProblem[] = [];
  const wrongType: FieldProblem[] = [];
  const checked: CheckedAttachment[] = [];
  for (const [i, a] of inputs.entries()) {
    const at = (f: string) => `body.attachments.${i}.${f}`;
    const bytes = Buffer.from(a.contentBase64, 'base64');
    if (bytes.length > MAX_ATTACHMENT_BYTES) {
      tooLarge.push({ field: at('contentBase64'), rule: 'attachment_max_size', message: `${a.name} is ${bytes.length} bytes; at most ${MAX_ATTACHMENT_BYTES} (10 MB)` });
      continue;
    }
    const type = await fileTypeFromBuffer(bytes);
    const accepted = type && ACCEPTED[type.mime];
    if (!type || !accepted) {
      wrongType.push({ field: at('contentBase64'), rule: 'media_type', message: `${a.name} must be a PDF, JPEG or PNG file; it is ${type ? type.mime : 'none of them'}` });
      continue;
    }
    const extension = /\.([^./\\]+)$/.exec(a.name)?.[1]?.toLowerCase();
    if (!extension || !accepted.extensions.includes(extension)) {
      wrongType.push({ field: at('name'), rule: 'media_type_matches_name', message: `${a.name} is a ${accepted.label} file; its name must end in .${accepted.extensions.join(' or .')}` });
      continue;
    }
    checked.push({ kind: a.kind, name: a.name, mediaType: type.mime as CheckedAttachment['mediaType'], bytes });
  }
  const detail = (p: FieldProblem[]) => p.map((e) => `${e.field}: ${e.message}`).join('; ');
  if (tooLarge.length) throw new AppError(413, 'Payload Too Large', detail(tooLarge), tooLarge);
  if (wrongType.length) throw new AppError(415, 'Unsupported Media Type', detail(wrongType), wrongType);
  return checked;
}

export async function storeAttachments(db: Database, personId: string, filingId: string, userId: string, at: Date, files: CheckedAttachment[]) {
  if (files.length === 0) return;
  await db
    .insertInto('filing_attachment')
    .values(files.map((f) => ({ person_id: personId, filing_id: filingId, kind: f.kind, name: f.name, media_type: f.mediaType, size_bytes: f.bytes.length, content: f.bytes, uploaded_by: userId, uploaded_at: at })))
    .execute();
}

/** The attachments of a filing, without their content. */
export function attachmentsOf(db: Database, personId: string, filingId: string) {
  return db
    .selectFrom('filing_attachment as a')
    .leftJoin('app_user as u', 'u.id', 'a.uploaded_by')
    .select(['a.id', 'a.kind', 'a.name', 'a.media_type', 'a.size_bytes', 'a.uploaded_at', 'u.display_name as uploaded_by'])
    .where('a.person_id', '=', personId)
    .where('a.filing_id', '=', filingId)
    // by upload, then in the order of the kinds (certificate, discharge summary, lab report, other) and by name
    .orderBy('a.uploaded_at')
    .orderBy(sql`array_position(array['diagnosis_certificate', 'discharge_summary', 'lab_report', 'other']::text[], a.kind)`)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
}

export function attachmentContent(db: Database, personId: string, filingId: string, attachmentId: string) {
  return db
    .selectFrom('filing_attachment')
    .select(['name', 'media_type', 'content'])
    .where('person_id', '=', personId)
    .where('filing_id', '=', filingId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}
