// Shows a DriveBackend to the kernel as a read-only /dev/loopN whose direct reads fail exactly at
// the drive's bad sectors: our NBD server -> nbdfuse (a file) -> loop device with direct-io.
// Teardown runs in the reverse order: loop device, FUSE mount, then the server.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DriveBackend } from './types.ts';
import { startNbdServer } from './nbd-server.ts';
import type { NbdServer, NbdServerStats } from './nbd-server.ts';
import { findProgram, run, runOk } from './kernel-tools.ts';

export { kernelPathAvailable } from './kernel-tools.ts';
export type { KernelPathCheck } from './kernel-tools.ts';

export interface KernelDrive {
  /** The loop device, e.g. /dev/loop3. */
  readonly device: string;
  readonly sectorSize: number;
  /** Where the pieces live, for a state file or a post-mortem. */
  readonly socketPath: string;
  readonly mountpoint: string;
  readonly file: string;
  readonly nbdfusePid: number | undefined;
  serverStats(): NbdServerStats;
  /** Loop device, then FUSE mount, then server. Safe to call more than once. */
  detach(): Promise<void>;
}

export interface AttachOptions {
  /** Parent of the temporary directory holding the socket and the mountpoint (default: os.tmpdir()). */
  readonly workDir?: string;
  /** How long nbdfuse may take to show the file (default 10 s). */
  readonly readyTimeoutMs?: number;
}

const FILE_NAME = 'drive';

export async function attachKernelDrive(backend: DriveBackend, opts: AttachOptions = {}): Promise<KernelDrive> {
  const dir = await mkdtemp(path.join(opts.workDir ?? os.tmpdir(), 'imagebox-kdrive-'));
  const socketPath = path.join(dir, 'nbd.sock');
  const mountpoint = path.join(dir, 'mnt');
  const file = path.join(mountpoint, FILE_NAME);
  await mkdir(mountpoint);

  let server: NbdServer | undefined;
  let fuse: FuseProcess | undefined;
  let device: string | undefined;
  const teardown = async (): Promise<void> => {
    const problems: string[] = [];
    if (device) await detachLoop(device).catch((e: Error) => problems.push(e.message));
    if (fuse) await fuse.unmount(() => server?.close()).catch((e: Error) => problems.push(e.message));
    await server?.close();
    await rm(dir, { recursive: true, force: true }).catch((e: Error) => problems.push(e.message));
    if (problems.length > 0) throw new Error(`detach ${device ?? dir}: ${problems.join('; ')}`);
  };

  try {
    server = await startNbdServer(backend, socketPath);
    fuse = await startNbdfuse(file, mountpoint, socketPath, dir, opts.readyTimeoutMs ?? 10_000);
    const shown = await stat(file);
    if (shown.size !== backend.size) throw new Error(`nbdfuse shows ${shown.size} bytes, the drive has ${backend.size}`);
    device = (
      await runOk('losetup', ['--direct-io=on', '-r', '--sector-size', String(backend.sectorSize), '-f', '--show', file])
    ).trim();
    await checkDirectIo(device);
  } catch (err) {
    await teardown().catch(() => {});
    throw err;
  }

  let detaching: Promise<void> | undefined;
  const srv = server;
  return {
    device,
    sectorSize: backend.sectorSize,
    socketPath,
    mountpoint,
    file,
    nbdfusePid: fuse.pid,
    serverStats: () => srv.stats(),
    detach: () => (detaching ??= teardown()),
  };
}

async function checkDirectIo(device: string): Promise<void> {
  const name = path.basename(device);
  const dio = (await readFile(`/sys/block/${name}/loop/dio`, 'utf8')).trim();
  // Without direct-io the page cache widens every failure to a page or a readahead window.
  if (dio !== '1') throw new Error(`${device}: direct-io is off (/sys/block/${name}/loop/dio = ${dio}); bad sectors would not be exact`);
}

async function detachLoop(device: string): Promise<void> {
  const r = await run('losetup', ['-d', device]);
  // ENXIO: already gone, which is what we wanted.
  if (r.code !== 0 && !/No such device/i.test(r.stderr)) throw new Error(`losetup -d ${device}: ${r.stderr.trim()}`);
  // A device still open elsewhere is only marked autoclear; wait (briefly) for it to let go.
  const backing = `/sys/block/${path.basename(device)}/loop/backing_file`;
  for (let i = 0; i < 100; i++) {
    try {
      await readFile(backing);
    } catch {
      return;
    }
    await sleep(20);
  }
}

interface FuseProcess {
  readonly pid: number | undefined;
  /** Unmounts; `unblock` is called if the mount stays busy, to fail whatever holds it. */
  unmount(unblock: () => unknown): Promise<void>;
}

async function startNbdfuse(
  file: string,
  mountpoint: string,
  socketPath: string,
  dir: string,
  readyTimeoutMs: number,
): Promise<FuseProcess> {
  const program = await findProgram('nbdfuse');
  if (!program) throw new Error('nbdfuse not found (Debian package libnbd-bin)');
  const pidFile = path.join(dir, 'nbdfuse.pid');
  // -P writes the pid only once the mount serves; -C 1 because this server does not offer multi-conn anyway.
  const child = spawn(program, ['-r', '-C', '1', '-P', pidFile, file, '--unix', socketPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    if (stderr.length < 4096) stderr += s;
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (e) => {
      stderr += e.message;
      exit = { code: -1, signal: null };
      resolve();
    });
  });

  // nbdfuse stays in the foreground (libnbd 1.14); should a build daemonise instead, its first
  // process exits 0 and the pid file names the one that serves.
  const deadline = Date.now() + readyTimeoutMs;
  let servingPid: number | undefined;
  for (;;) {
    const pidText = await readFile(pidFile, 'utf8').catch(() => '');
    if (pidText.trim()) {
      servingPid = Number(pidText.trim());
      break;
    }
    if (exit && exit.code !== 0) {
      throw new Error(`nbdfuse failed (${exit.signal ?? `exit ${exit.code}`}): ${stderr.trim().split('\n')[0] ?? ''}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      await run('fusermount3', ['-u', mountpoint]);
      throw new Error(`nbdfuse did not show ${file} within ${readyTimeoutMs} ms: ${stderr.trim().split('\n')[0] ?? ''}`);
    }
    await sleep(20);
  }

  const daemonised = exit !== undefined;
  return {
    pid: servingPid,
    async unmount(unblock) {
      let r = await run('fusermount3', ['-u', mountpoint]);
      // Busy: a loop device in autoclear, or a reader, still holds the file; give it a moment.
      for (let i = 0; r.code !== 0 && /busy/i.test(r.stderr) && i < 50; i++) {
        await sleep(40);
        r = await run('fusermount3', ['-u', mountpoint]);
      }
      if (r.code !== 0 && /busy/i.test(r.stderr)) {
        // Still held (e.g. a read hung in the server): detach lazily, then stop the server so
        // the held request fails and the last reference goes.
        r = await run('fusermount3', ['-u', '-z', mountpoint]);
        await unblock();
      }
      if (r.code !== 0 && !/not found|not mounted|entry for .* not found/i.test(r.stderr)) {
        throw new Error(`fusermount3 -u ${mountpoint}: ${r.stderr.trim()}`);
      }
      if (daemonised) {
        await waitPidGone(servingPid, 5_000);
        return;
      }
      const gone = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!gone) {
        // The man page asks to unmount rather than kill; we did, and it is still here.
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

async function waitPidGone(pid: number | undefined, timeoutMs: number): Promise<void> {
  if (!pid) return;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
