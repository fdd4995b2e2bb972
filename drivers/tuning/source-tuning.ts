// Tuning a failing source through sysfs, and undoing it. The kernel waits 30 s on a SCSI command
// before aborting it (then retries), and reads ahead 128 KiB or more around every read; on a dying
// drive the first turns one bad sector into minutes and the second reads areas nobody asked for.
// So: a shorter per-command timeout (SCSI disks only: loop, NVMe and virtio have no device/timeout)
// and no readahead, with the old values put back by release(). A crash leaves them changed until
// the drive is unplugged or the machine reboots; with a state file, restoreFromStateFile() puts
// them back. Every change, restore and failure goes to the audit logger the caller passes.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { parseSysfsInt } from '../block/proc-parse.ts';
import { readAttr } from '../discovery/sysfs-identity.ts';
import { loadTuningState, removeTuningState, saveTuningState, type SavedSetting, type TunedAttr, type TuningState } from './tuning-state.ts';

/** Long enough for a drive with error recovery control (about 7 s) to report its own error first. */
export const DEFAULT_COMMAND_TIMEOUT_S = 10;

export interface TuningOptions {
  readonly sysRoot?: string;
  readonly commandTimeoutSeconds?: number;
  readonly readAheadKb?: number;
  /** Where the old values wait for release(); removed once they are back. */
  readonly stateFile?: string;
  /** The audit log (controller/audit-log.ts auditLog()). */
  readonly audit: Logger;
}

export type TuningStep =
  | { readonly attr: TunedAttr; readonly outcome: 'set'; readonly from: number; readonly to: number }
  | { readonly attr: TunedAttr; readonly outcome: 'not applicable' | 'failed'; readonly note: string };

export type RestoreStep =
  | { readonly attr: TunedAttr; readonly outcome: 'restored'; readonly value: number }
  | { readonly attr: TunedAttr; readonly outcome: 'left' | 'failed'; readonly note: string };

export interface SourceTuning {
  /** Kernel name of the whole disk. */
  readonly device: string;
  readonly steps: readonly TuningStep[];
  /** What a state file left by a crashed run put back first (empty when there was none). */
  readonly recovered: readonly RestoreStep[];
  /** Puts the old values back; later calls return the first call's result. */
  release(): Promise<readonly RestoreStep[]>;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];
const isGone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

async function readInt(file: string): Promise<number> {
  return parseSysfsInt(await fs.readFile(file, 'utf8'), file);
}

/** A whole disk's kernel name from "sdb", "/dev/sdb" or a /dev/disk/by-id link. */
async function kernelName(device: string): Promise<string> {
  return path.basename(device.includes('/') ? await fs.realpath(device).catch(() => device) : device);
}

/** The old values back, each only if it still holds what tuning set (someone else's change is left alone). */
async function restoreSettings(state: Omit<TuningState, 'version' | 'at'>, audit: Logger, stateFile?: string): Promise<RestoreStep[]> {
  const { device, settings } = state;
  const dir = path.join(state.sysRoot, 'block', device);
  const seq = await readAttr(path.join(dir, 'diskseq'));
  const steps: RestoreStep[] = [];
  const left = (attr: TunedAttr, note: string) => {
    steps.push({ attr, outcome: 'left', note });
    audit.warn({ act: 'tuning-restore', device, attr, note }, 'source tuning left as it is');
  };
  for (const s of settings) {
    if (state.diskseq !== null && seq !== state.diskseq) {
      left(s.attr, seq === null ? `${device} is gone` : `${device} was attached again since (diskseq ${seq}, tuned at ${state.diskseq}): the kernel's defaults are back`);
      continue;
    }
    const file = path.join(dir, s.attr);
    try {
      const now = await readInt(file);
      if (now !== s.to) {
        left(s.attr, `${s.attr} is ${now}, not the ${s.to} tuning set: changed by someone else`);
        continue;
      }
      await fs.writeFile(file, String(s.from));
      steps.push({ attr: s.attr, outcome: 'restored', value: s.from });
      audit.info({ act: 'tuning-restore', device, attr: s.attr, from: s.to, to: s.from }, 'source tuning restored');
    } catch (err) {
      if (isGone(err)) left(s.attr, `${device} is gone`);
      else {
        steps.push({ attr: s.attr, outcome: 'failed', note: errText(err) });
        audit.error({ act: 'tuning-restore', device, attr: s.attr, to: s.from, err: errText(err) }, 'source tuning restore failed');
      }
    }
  }
  // A failed restore keeps the file, so that restoreFromStateFile() can try again.
  if (stateFile && !steps.some((s) => s.outcome === 'failed')) await removeTuningState(stateFile);
  return steps;
}

export async function tuneSource(device: string, opts: TuningOptions): Promise<SourceTuning> {
  const sysRoot = opts.sysRoot ?? '/sys';
  const { audit } = opts;
  const name = await kernelName(device);
  const dir = path.join(sysRoot, 'block', name);
  await fs.access(dir).catch(() => {
    throw new Error(`${name}: no ${dir} (tuning takes a whole disk, not a partition)`);
  });
  // A state file still here means a run crashed while tuned: its old values come back first, or
  // the values read below would be the tuned ones, and release would "restore" those.
  const recovered = opts.stateFile ? await restoreFromStateFile(opts.stateFile, { audit, sysRoot }) : [];
  const wanted: readonly [TunedAttr, number][] = [
    ['device/timeout', opts.commandTimeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_S],
    ['queue/read_ahead_kb', opts.readAheadKb ?? 0],
  ];
  const steps: TuningStep[] = [];
  const plan: SavedSetting[] = [];
  for (const [attr, to] of wanted) {
    try {
      plan.push({ attr, from: await readInt(path.join(dir, attr)), to });
    } catch (err) {
      const na = isGone(err) && attr === 'device/timeout';
      steps.push({ attr, outcome: na ? 'not applicable' : 'failed', note: na ? `${name} has no SCSI command timeout (loop, NVMe and virtio disks have none)` : errText(err) });
      if (!na) audit.error({ act: 'tune', device: name, attr, err: errText(err) }, 'source tuning failed');
    }
  }
  const base = { version: 1 as const, device: name, diskseq: await readAttr(path.join(dir, 'diskseq')), sysRoot, at: new Date().toISOString() };
  // Saved before the first write: a crash half-way through is restorable.
  if (opts.stateFile && plan.length) await saveTuningState(opts.stateFile, { ...base, settings: plan });
  const applied: SavedSetting[] = [];
  for (const s of plan) {
    try {
      await fs.writeFile(path.join(dir, s.attr), String(s.to));
      applied.push(s);
      steps.push({ attr: s.attr, outcome: 'set', from: s.from, to: s.to });
      audit.info({ act: 'tune', device: name, attr: s.attr, from: s.from, to: s.to }, 'source tuned');
    } catch (err) {
      steps.push({ attr: s.attr, outcome: 'failed', note: errText(err) });
      audit.error({ act: 'tune', device: name, attr: s.attr, to: s.to, err: errText(err) }, 'source tuning refused by the kernel');
    }
  }
  if (opts.stateFile && applied.length < plan.length) {
    await (applied.length ? saveTuningState(opts.stateFile, { ...base, settings: applied }) : removeTuningState(opts.stateFile));
  }
  let released: Promise<RestoreStep[]> | undefined;
  return { device: name, steps, recovered, release: () => (released ??= restoreSettings({ ...base, settings: applied }, audit, opts.stateFile)) };
}

/** After a crash: puts back what a state file says tuning changed, and removes the file. No file, nothing to do. */
export async function restoreFromStateFile(file: string, opts: { readonly audit: Logger; readonly sysRoot?: string }): Promise<readonly RestoreStep[]> {
  let state: TuningState;
  try {
    state = await loadTuningState(file);
  } catch (err) {
    if (isGone(err)) return [];
    throw err;
  }
  return restoreSettings({ ...state, sysRoot: opts.sysRoot ?? state.sysRoot }, opts.audit, file);
}

/** The two settings as they are now; null where the disk has no such attribute. */
export async function readTuning(device: string, sysRoot = '/sys'): Promise<{ commandTimeoutSeconds: number | null; readAheadKb: number | null }> {
  const dir = path.join(sysRoot, 'block', await kernelName(device));
  const read = (attr: TunedAttr) => readInt(path.join(dir, attr)).catch(() => null);
  return { commandTimeoutSeconds: await read('device/timeout'), readAheadKb: await read('queue/read_ahead_kb') };
}
