// Where `hil:drive` keeps track of the drives it started: one JSON file per loop device, written by
// the daemon once the device is ready, so `status` and `down` work from any shell.
import { readdir, readFile, rename, writeFile, mkdir, access, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface DriveState {
  readonly device: string;
  /** The daemon serving the drive; SIGTERM detaches it, SIGUSR1 writes statsFile. */
  readonly pid: number;
  readonly nbdfusePid: number | undefined;
  readonly socketPath: string;
  readonly mountpoint: string;
  /** The FUSE file behind the loop device. */
  readonly file: string;
  /** The drive as an emu: URL (hil/emu-url.ts). */
  readonly spec: string;
  readonly size: number;
  readonly sectorSize: number;
  readonly startedAt: string;
  readonly log: string;
  readonly statsFile: string;
}

/** Written by the daemon on SIGUSR1: the model's referee account and the server's counters. */
export interface DriveStatsSnapshot {
  /** Date.now() when written, so a reader can tell a fresh snapshot from an old one. */
  readonly writtenAt: number;
  readonly device: string;
  readonly spec: string;
  readonly model: unknown;
  readonly server: unknown;
}

/** IMAGEBOX_HIL_DIR overrides; otherwise /run/imagebox-hil when /run is writable, else the temp dir. */
export async function stateDir(): Promise<string> {
  let dir = process.env.IMAGEBOX_HIL_DIR;
  if (!dir) {
    dir = path.join(os.tmpdir(), 'imagebox-hil');
    try {
      await access('/run', constants.W_OK);
      dir = '/run/imagebox-hil';
    } catch {
      // no writable /run: keep the temp dir
    }
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

export function stateFileFor(dir: string, device: string): string {
  return path.join(dir, `${path.basename(device)}.json`);
}

export function statsFileFor(dir: string, device: string): string {
  return path.join(dir, `${path.basename(device)}.stats.json`);
}

/** Write-then-rename, so a reader never sees half a file. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}

export async function listStates(dir: string): Promise<DriveState[]> {
  const names = (await readdir(dir)).filter((n) => /^loop\d+\.json$/.test(n)).sort();
  const states: DriveState[] = [];
  for (const name of names) {
    try {
      states.push(JSON.parse(await readFile(path.join(dir, name), 'utf8')) as DriveState);
    } catch {
      // removed while we listed, or half-written by a crashed writer: not a drive we can manage
    }
  }
  return states;
}

/** True when pid is alive and is one of our daemons (a recycled pid must not get our signals). */
export async function isOurDaemon(pid: number): Promise<boolean> {
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('drive-daemon.ts');
  } catch {
    return false;
  }
}
