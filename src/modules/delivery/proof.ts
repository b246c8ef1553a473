// The signed receipt's photo (签收照片) a delivery ends with: a JPEG or PNG by its content (never by its
// name), at most 5 MiB, sent as base64 inside the step's JSON like a filing's attachments.
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../core/problem';

/** At most 5 MiB (the database holds no larger proof). */
export const MAX_PROOF_BYTES = 5 * 1024 * 1024;
/** The body of a delivered step: the photo's base64 (4/3 of its bytes) and room for the rest. */
export const PROOF_BODY_LIMIT = Math.ceil(MAX_PROOF_BYTES / 3) * 4 + 64 * 1024;

export interface CheckedProof {
  mediaType: 'image/jpeg' | 'image/png';
  bytes: Buffer;
}

/** 413 when larger than 5 MiB, 415 when the bytes are no JPEG or PNG (a PDF or a text renamed .jpg). */
export async function checkProof(contentBase64: string): Promise<CheckedProof> {
  const bytes = Buffer.from(contentBase64, 'base64');
  const field = 'body.proof.contentBase64';
  if (bytes.length > MAX_PROOF_BYTES) {
    const message = `the photo is ${bytes.length} bytes; at most ${MAX_PROOF_BYTES} (5 MB)`;
    throw new AppError(413, 'Payload Too Large', message, [{ field, rule: 'proof_max_size', message }]);
  }
  const type = await fileTypeFromBuffer(bytes);
  if (!type || (type.mime !== 'image/jpeg' && type.mime !== 'image/png')) {
    const message = `the signed receipt's photo must be a JPEG or PNG image; it is ${type ? type.mime : 'none of them'}`;
    throw new AppError(415, 'Unsupported Media Type', message, [{ field, rule: 'proof_media_type', message }]);
  }
  return { mediaType: type.mime, bytes };
}
