// Opening a rescue's source: a real device or file (read-only, O_DIRECT), or an emulated drive.
import type { PathInfo } from '../../drivers/block/device-info.ts';
import { describePath } from '../../drivers/block/device-info.ts';
import { openEmulatedDrive } from '../../drivers/block/emulated.ts';
import { openSource } from '../../drivers/block/linux.ts';
import { pacedSource } from '../../drivers/block/paced.ts';
import type { BlockSource, Clock } from '../../drivers/block/types.ts';
import { wallClock } from '../../drivers/block/types.ts';
import { isEmuUrl } from '../../hil/emu-url.ts';
import { basename, join } from 'node:path';
import { tuneSource } from '../../drivers/tuning/source-tuning.ts';
import { auditLog, stateDir } from '../audit-log.ts';
import { UserError } from '../exit-codes.ts';

export interface OpenedSource {
  readonly source: BlockSource;
  /** Wall time for real devices; drive-time for emulated ones. */
  readonly clock: Clock;
  readonly info: PathInfo;
  readonly emulated: boolean;
}

export interface OpenSourceOptions {
  /** Read a regular file through the page cache (sector-exact errors matter only on devices). */
  readonly buffered?: boolean;
  /** Tune a device source for a failing drive (kernel command timeout, readahead off) until closed. */
  readonly tune?: boolean;
}

/** A tuning that fails (no sysfs, not root) is logged by the driver and never stops the job. */
async function tuneForRescue(path: string) {
  const name = basename(path);
  return tuneSource(path, { audit: auditLog(), stateFile: join(stateDir(), 'tuning', `${name}.json`) }).catch(() => undefined);
}

export async function openRescueSource(path: string, sectorSize?: number, emuSpeed?: number, opts: OpenSourceOptions = {}): Promise<OpenedSource> {
  if (isEmuUrl(path)) {
    let opened;
    try {
      opened = openEmulatedDrive(path, { realTime: emuSpeed !== undefined });
    } catch (err) {
      throw new UserError(`source ${path}: ${(err as Error).message}`);
    }
    const { source } = opened;
    // An emulated drive lives on no disk: for the destination checks it is like an image file.
    const info: PathInfo = { kind: 'file', path, dev: 'emulated', ino: path, size: source.size, fsDisks: [] };
    const paced = emuSpeed ? pacedSource(source, source.clock, emuSpeed) : source;
    return { source: paced, clock: source.clock, info, emulated: true };
  }
  const info = await describePath(path);
  if (info.kind === 'missing') throw new UserError(`source ${path} does not exist`);
  if (info.kind === 'other') throw new UserError(`source ${path} is a ${info.what}, not a block device or a file`);
  if (info.kind === 'file' && info.size === 0) throw new UserError(`source ${path} is empty`);
  try {
    const source = await openSource(path, { sectorSize, direct: !(opts.buffered && info.kind === 'file') });
    const tuned = opts.tune && info.kind === 'block' ? await tuneForRescue(path) : undefined;
    if (tuned) {
      const close = source.close.bind(source);
      // Closing the source is releasing it: the drive gets its own settings back.
      Object.assign(source, { close: () => close().finally(() => tuned.release()) });
    }
    return { source, clock: wallClock, info, emulated: false };
  } catch (err) {
    throw new UserError(`source ${path}: ${(err as Error).message}`);
  }
}
