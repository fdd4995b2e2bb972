// Writing files that must survive a power cut whole or not at all: the data goes to a temporary
// name and is fsynced, then takes its final name, then the folder is fsynced so that the new name
// is on disk too. A crash at any point leaves either the old file (or none) or the new one.

import { constants } from 'node:fs';
import { copyFile, link, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function isCode(err: unknown, ...codes: string[]): boolean {
  return typeof err === 'object' && err !== null && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (err) {
    if (!isCode(err, 'ENOENT')) throw err;
  }
}

/** The file's text, or undefined when there is no such file. */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (isCode(e, 'ENOENT')) return undefined;
    throw e;
  }
}

/** Makes the folder's entries (names created, renamed or removed in it) durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface DurableWriteOptions {
  /**
   * true: an existing file is replaced (rename). false: an existing file is an error (EEXIST) and
   * is left untouched, because the final name is taken with link(), which never replaces.
   */
  readonly replace: boolean;
  readonly mode?: number;
  /** With replace: the file being replaced is kept under this name (see keepBackup). */
  readonly backup?: string;
}

/**
 * Makes `backup` a copy of the file at `path` without ever removing `path`: a second name is linked
 * to it and renamed over the old backup. File systems without hard links (FAT, exFAT on a lab's
 * USB disk) get a copy instead. Nothing is kept when `path` does not exist yet.
 */
export async function keepBackup(path: string, backup: string): Promise<void> {
  const staging = `${backup}.tmp`;
  await removeIfPresent(staging);
  try {
    await link(path, staging);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return;
    if (!isCode(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK')) throw err;
    await copyFile(path, staging);
  }
  await rename(staging, backup);
}

/** Writes `data` to `path` durably (see the top of this file). */
export async function writeFileDurably(path: string, data: string | Buffer, opts: DurableWriteOptions): Promise<void> {
  const dir = dirname(path);
  // A leading dot keeps the temporary out of listings that look for final names.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  await removeIfPresent(tmp);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode ?? 0o644);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.replace && opts.backup) await keepBackup(path, opts.backup);
    if (opts.replace) await rename(tmp, path);
    else await link(tmp, path);
  } finally {
    await removeIfPresent(tmp);
  }
  await syncDir(dir);
}
