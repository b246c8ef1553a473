// A backup file is what PGlite's dumpDataDir('gzip') writes: a gzipped tarball of the data dir, so
// plain PGlite can load it too. It is checked whole before anything is restored from it, and written
// aside, synced and checked before it takes its name, so a file by that name is always a whole backup.
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** A message for a file that cannot be read or written, without a stack. */
export function fileProblem(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message;
  return new Error(`${path}: ${why}`);
}

/** The names in a tar archive (ustar: a 512-byte header per entry, the size in octal). */
function tarNames(tar: Buffer): string[] | null {
  const names: string[] = [];
  const text = (from: number, to: number, at: number) => tar.subarray(at + from, at + to).toString('latin1').replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    if (tar[at] === 0) return names; // the zero blocks that end an archive
    if (!text(257, 262, at).startsWith('ustar')) return null;
    const size = Number.parseInt(text(124, 136, at).trim() || '0', 8);
    if (!Number.isFinite(size)) return null;
    const prefix = text(345, 500, at);
    names.push((prefix ? `${prefix}/` : '') + text(0, 100, at).replace(/^\.?\//, ''));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

/** The backup's tarball, uncompressed, or an error saying why the file is not a usable backup. */
export async function readBackup(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw fileProblem(path, e);
  }
  const notBackup = (why: string) => new Error(`${path} is not a manbing backup: ${why}`);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw notBackup('it is not gzip-compressed');
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch {
    throw notBackup('it is damaged or cut short (the gzip stream does not decompress)');
  }
  const names = tarNames(tar);
  if (!names) throw notBackup('it is not a tar archive');
  if (!names.includes('PG_VERSION') || !names.includes('global/pg_control')) throw notBackup('it holds no PostgreSQL data directory');
  return tar;
}

/** Writes the chunks to `out` whole or not at all: a temporary file beside it, synced, checked, renamed. */
export async function writeBackupAtomically(out: string, chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const temp = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  let size = 0;
  try {
    // 0600: a backup holds every patient's record
    const file = await open(temp, 'wx', 0o600).catch((e) => Promise.reject(fileProblem(out, e)));
    try {
      for await (const chunk of chunks) {
        await file.write(chunk);
        size += chunk.length;
      }
      await file.sync();
    } finally {
      await file.close();
    }
    await readBackup(temp).catch((e: Error) => Promise.reject(new Error(`the copy failed its check, nothing was written: ${e.message.replace(temp, out)}`)));
    await rename(temp, out);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  // the rename itself reaches the disk only when the folder is synced
  const folder = await open(dirname(out), 'r');
  await folder.sync().catch(() => {});
  await folder.close();
  return size;
}
