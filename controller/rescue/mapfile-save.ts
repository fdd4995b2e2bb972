// Saving and loading the mapfile on disk. The mapfile is the only record of which sectors were
// read, so a save must never leave it truncated or half-written, whatever happens midway
// (a full disk, a power cut, the process killed): at every moment `path` holds a complete map,
// either the previous one or the new one.
//
// The caller must fsync the image before saving: a map that says "+" for sectors whose data is
// still in the page cache would, after a power cut, claim data the image does not have.

import { constants } from 'node:fs';
import { open, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { keepBackup, removeIfPresent, syncDir } from '../durable-file.ts';
import { formatMapfileChunks, parseMapfile, type MapState, type MapfileHeader } from './mapfile.ts';
import type { SectorMap } from './sector-map.ts';

/**
 * Writes every byte or throws. A write can be short without an error: with a file-size limit
 * (RLIMIT_FSIZE, whose SIGXFSZ Node ignores) the first write past the limit stops at the limit and
 * only the next one fails with EFBIG; a single write() would leave a truncated map looking saved.
 */
async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    off += bytesWritten;
  }
}

/**
 * Writes the map durably: `path.tmp` is written and fsynced, the current map becomes `path.bak`,
 * `path.tmp` is renamed over `path`, and the directory is fsynced so the renames survive a power cut.
 */
export async function saveMapfile(path: string, map: SectorMap, state: MapState, header?: MapfileHeader): Promise<void> {
  const tmp = `${path}.tmp`;
  // A .tmp left by a save that was killed is incomplete by definition.
  await removeIfPresent(tmp);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    for (const chunk of formatMapfileChunks(map, state, header)) await writeAll(fh, Buffer.from(chunk, 'latin1'));
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await keepBackup(path, `${path}.bak`);
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/**
 * Reads and parses a mapfile whose blocks must cover exactly [0, size).
 * Throws MapfileError for a damaged map; file-system errors (ENOENT for a job not yet started) pass through.
 */
export async function loadMapfile(path: string, size: number): Promise<{ state: MapState; map: SectorMap }> {
  const text = await readFile(path, 'latin1');
  return parseMapfile(text, { size, path });
}
