// Writing an acquisition record and everything derived from it, never replacing a record that is
// already there. Each file is written under a temporary name and fsynced, then linked to its final
// name (link() fails if the name exists, where rename() would silently replace it), then the folder
// is fsynced: after a crash a final name holds either nothing or the whole file.

import fs from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from '../durable-file.ts';
import { ALGOS } from './algorithms.ts';
import { formatHashList } from './hash-list.ts';
import { formatPiecewiseLog } from './piecewise.ts';
import { validateRecord, type AcquisitionRecord } from './record-schema.ts';
import { reportHtml } from './report-html.ts';
import { reportText } from './report-text.ts';

export class RecordExistsError extends Error {
  readonly path: string;

  constructor(path: string) {
    super(`${path} already exists: an acquisition record is never overwritten`);
    this.name = 'RecordExistsError';
    this.path = path;
  }
}

/** The files of a record, by name, with their contents. */
export function recordFiles(basename: string, record: AcquisitionRecord): Map<string, string> {
  const files = new Map<string, string>();
  files.set(`${basename}.json`, JSON.stringify(record, null, 2) + '\n');
  files.set(`${basename}.txt`, reportText(record, basename));
  files.set(`${basename}.html`, reportHtml(record, basename));
  for (const algo of ALGOS) {
    const list = formatHashList(record, algo);
    if (list !== undefined) files.set(`${basename}.${algo}`, list);
  }
  if (record.piecewise) {
    const totals = Object.fromEntries(record.hashes.map((h) => [h.algorithm, h.hex]));
    const header = [`piecewise hashes of ${record.source.path}, window ${record.piecewise.windowBytes} bytes, unread sectors as zeros`];
    files.set(`${basename}.piecewise.txt`, formatPiecewiseLog(record.piecewise.pieces, totals, header));
  }
  return files;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Writes the record's files into dir; returns their paths. Refuses, writing nothing, if any exists. */
export async function writeRecord(dir: string, basename: string, record: AcquisitionRecord): Promise<string[]> {
  if (!basename || basename.includes('/') || basename.startsWith('.')) throw new RangeError(`bad record name '${basename}'`);
  validateRecord(record);
  const files = recordFiles(basename, record);
  for (const name of files.keys()) if (await exists(join(dir, name))) throw new RecordExistsError(join(dir, name));

  const temps: string[] = [];
  const linked: string[] = [];
  try {
    for (const [name, text] of files) {
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(tmp);
      const fh = await fs.open(tmp, 'wx', 0o444);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    for (const [i, name] of [...files.keys()].entries()) {
      const final = join(dir, name);
      try {
        await fs.link(temps[i], final);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new RecordExistsError(final);
        throw e;
      }
      linked.push(final);
    }
  } catch (e) {
    // Another writer got there first, or the disk failed: leave no half record of ours behind.
    await Promise.all(linked.map((p) => fs.unlink(p).catch(() => {})));
    throw e;
  } finally {
    await Promise.all(temps.map((p) => fs.unlink(p).catch(() => {})));
  }
  await syncDir(dir);
  return linked;
}
