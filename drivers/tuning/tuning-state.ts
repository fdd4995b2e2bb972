// What tuning changed, kept on disk until release(): a crash leaves the kernel's settings changed
// (sysfs values live until the drive goes away or the machine reboots), and this file is what
// lets restoreFromStateFile() put them back. Written whole to a temp file, fsynced, renamed.

import fs from 'node:fs/promises';
import path from 'node:path';

export type TunedAttr = 'device/timeout' | 'queue/read_ahead_kb';

export interface SavedSetting {
  readonly attr: TunedAttr;
  /** The kernel's value before tuning: what release puts back. */
  readonly from: number;
  readonly to: number;
}

export interface TuningState {
  readonly version: 1;
  /** Kernel name of the whole disk. */
  readonly device: string;
  /** /sys/block/X/diskseq at tuning time: a new attachment of the name gets a new one (and fresh defaults). */
  readonly diskseq: string | null;
  readonly sysRoot: string;
  readonly at: string;
  readonly settings: readonly SavedSetting[];
}

const ATTRS: readonly string[] = ['device/timeout', 'queue/read_ahead_kb'];

export async function saveTuningState(file: string, state: TuningState): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(`${JSON.stringify(state, null, 2)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
}

/** Parses and checks a state file's shape; throws one line naming the file when it is not one. */
export function parseTuningState(text: string, file: string): TuningState {
  const bad = (why: string): never => {
    throw new Error(`${file}: not a tuning state file (${why})`);
  };
  let s: Partial<TuningState>;
  try {
    s = JSON.parse(text) as Partial<TuningState>;
  } catch {
    return bad('not JSON');
  }
  if (s.version !== 1) bad(`version ${String(s.version)}`);
  if (typeof s.device !== 'string' || !/^[\w.-]+$/.test(s.device)) bad('no device name');
  if (typeof s.sysRoot !== 'string' || !Array.isArray(s.settings)) bad('no sysRoot or settings');
  for (const x of s.settings!) {
    if (!ATTRS.includes(x.attr) || !Number.isSafeInteger(x.from) || !Number.isSafeInteger(x.to)) bad(`setting ${JSON.stringify(x)}`);
  }
  return s as TuningState;
}

export async function loadTuningState(file: string): Promise<TuningState> {
  return parseTuningState(await fs.readFile(file, 'utf8'), file);
}

export async function removeTuningState(file: string): Promise<void> {
  await fs.rm(file, { force: true });
}
