// <MANBING_DATA_DIR>/server.json names the one process that holds the embedded database. PGlite takes no
// lock of its own, and two processes writing one data dir corrupt it, so `manbing start`, `backup` and
// `restore` claim the folder before they open it; a running server also writes where its control channel
// listens and the token that opens it (mode 0600: only the owner of the data may read the token).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

export interface ServerFile {
  pid: number;
  /** null while the process opens the database, or when it is a backup or restore rather than a server */
  port: number | null;
  host: string | null;
  token: string;
}

export const serverFilePath = (dataDir: string) => resolve(dataDir, 'server.json');

export function readServerFile(dataDir: string): ServerFile | null {
  let text: string;
  try {
    text = readFileSync(serverFilePath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const f = JSON.parse(text) as Partial<ServerFile>;
    if (Number.isInteger(f.pid) && typeof f.token === 'string') return { pid: f.pid!, port: f.port ?? null, host: f.host ?? null, token: f.token };
  } catch {}
  throw new Error(`${serverFilePath(dataDir)} is not a manbing server file; delete it if no manbing process uses this data directory`);
}

/** Whether a process with that id exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process other than this one that holds the data dir, if any. */
export function holderOf(dataDir: string): ServerFile | null {
  const file = readServerFile(dataDir);
  // our own pid in the file is a leftover of an earlier boot (containers reuse small pids)
  return file && file.pid !== process.pid && isAlive(file.pid) ? file : null;
}

export interface Claim {
  token: string;
  /** Records where the server listens, once it does. */
  announce(address: AddressInfo | string | null): void;
  release(): void;
}

/** Claims the data dir for this process, or throws naming the live process that holds it. */
export function claimDataDir(dataDir: string): Claim {
  const holder = holderOf(dataDir);
  if (holder) throw new Error(holderMessage(dataDir, holder));
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  const write = (file: ServerFile) => {
    // written aside and renamed: a reader never sees half a file, and the token is 0600 from the start
    const temp = `${serverFilePath(dataDir)}.${process.pid}.tmp`;
    rmSync(temp, { force: true });
    writeFileSync(temp, JSON.stringify(file), { mode: 0o600 });
    renameSync(temp, serverFilePath(dataDir));
  };
  write({ pid: process.pid, port: null, host: null, token });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readServerFile(dataDir)?.pid === process.pid) unlinkSync(serverFilePath(dataDir));
    } catch {}
  };
  // however the process ends short of a kill, the claim goes with it
  process.once('exit', release);
  return {
    token,
    release,
    announce(address) {
      if (!address || typeof address === 'string') return;
      // a server on every interface is reached on loopback; one bound to an address, on that address
      const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
      write({ pid: process.pid, port: address.port, host, token });
    },
  };
}

export function holderMessage(dataDir: string, holder: ServerFile): string {
  const what = holder.port === null ? 'is opening it, or is a backup or restore' : `is a manbing server on port ${holder.port}`;
  return `The data directory ${resolve(dataDir)} is in use by process ${holder.pid}, which ${what}. If no manbing process uses it, delete ${serverFilePath(dataDir)}.`;
}

/** A request to the server's control channel; a server that does not answer is said plainly. */
export async function askServer(server: ServerFile, dataDir: string, path: string, init: RequestInit = {}): Promise<Response> {
  const host = server.host?.includes(':') ? `[${server.host}]` : (server.host ?? '127.0.0.1');
  try {
    return await fetch(`http://${host}:${server.port}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${server.token}` } });
  } catch {
    throw new Error(`server.json names process ${server.pid} on port ${server.port}, but nothing answers there. If no manbing server uses ${resolve(dataDir)}, delete ${serverFilePath(dataDir)} and try again.`);
  }
}
