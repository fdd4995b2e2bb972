// `npm run hil:drive -- up|down|status|stats`: emulated drives shown to the kernel as loop devices,
// each served by a detached daemon (drive-daemon.ts) that outlives this command.
import { spawn } from 'node:child_process';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatEmuUrl, isEmuUrl, parseEmuUrl } from './emu-url.ts';
import { kernelPathAvailable } from './kernel-drive.ts';
import { run } from './kernel-tools.ts';
import type { DaemonMessage } from './drive-daemon.ts';
import { isOurDaemon, listStates, stateDir, stateFileFor } from './drive-state.ts';
import type { DriveState, DriveStatsSnapshot } from './drive-state.ts';

const USAGE = `usage: hil:drive up PATTERN|emu:URL [--seed N] [--size 256M] [--sector 512|4096] [--wall-hang-ms N]
       hil:drive down [DEVICE|--all]
       hil:drive status [--json]
       hil:drive stats DEVICE`;

class UsageError extends Error {}

const UP_TIMEOUT_MS = 60_000;
const DOWN_TIMEOUT_MS = 30_000;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up':
      return up(rest);
    case 'down':
      return down(rest);
    case 'status':
      return status(rest);
    case 'stats':
      return stats(rest);
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command');
  }
}

async function up(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      size: { type: 'string' },
      sector: { type: 'string' },
      'wall-hang-ms': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('up takes one PATTERN (or emu: URL)');
  const url = specUrl(positionals[0], values);
  const check = await kernelPathAvailable();
  if (!check.ok) throw new Error(check.why);

  const dir = await stateDir();
  const log = path.join(dir, `daemon-${Date.now()}-${process.pid}.log`);
  const logFile = await open(log, 'a');
  const daemonPath = fileURLToPath(new URL('./drive-daemon.ts', import.meta.url));
  const child = spawn(process.execPath, [daemonPath, url, dir, log], {
    detached: true,
    stdio: ['ignore', logFile.fd, logFile.fd, 'ipc'],
  });
  await logFile.close();

  const outcome = await new Promise<DaemonMessage>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      resolve({ type: 'error', message: `the drive was not ready within ${UP_TIMEOUT_MS / 1000} s (log: ${log})` });
    }, UP_TIMEOUT_MS);
    child.once('message', (msg: DaemonMessage) => {
      clearTimeout(timer);
      resolve(msg);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ type: 'error', message: `the daemon exited (${signal ?? `code ${code}`}) before the drive was ready (log: ${log})` });
    });
  });
  child.removeAllListeners();
  if (child.connected) child.disconnect();
  child.unref();
  if (outcome.type === 'error') throw new Error(outcome.message);
  process.stdout.write(`${outcome.device}\n`);
}

/** The drive as an emu: URL, flags overriding what the URL says; parsed here so errors come back at once. */
function specUrl(pattern: string, values: Record<string, string | boolean | undefined>): string {
  const base = isEmuUrl(pattern) ? pattern : `emu:${pattern}`;
  const q = base.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : base.slice(q + 1));
  const flags: [string, string][] = [
    ['seed', 'seed'],
    ['size', 'size'],
    ['sector', 'sector'],
    ['wall-hang-ms', 'wallHangMs'],
  ];
  for (const [flag, key] of flags) {
    const v = values[flag];
    if (typeof v === 'string') query.set(key, v);
  }
  const url = `${q < 0 ? base : base.slice(0, q)}?${query}`;
  return formatEmuUrl(parseEmuUrl(url));
}

async function down(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { all: { type: 'boolean' } } });
  const dir = await stateDir();
  const states = await listStates(dir);
  let targets: DriveState[];
  if (values.all) {
    if (positionals.length > 0) throw new UsageError('down takes a DEVICE or --all, not both');
    targets = states;
  } else if (positionals.length === 1) {
    targets = [findState(states, positionals[0])];
  } else if (positionals.length === 0) {
    if (states.length !== 1) {
      if (states.length === 0) throw new Error('no drives are up');
      throw new UsageError(`${states.length} drives are up: name one, or --all`);
    }
    targets = states;
  } else {
    throw new UsageError('down takes one DEVICE');
  }
  const failures: string[] = [];
  for (const s of targets) {
    try {
      await stopDrive(dir, s);
      process.stdout.write(`detached ${s.device}\n`);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  if (failures.length > 0) throw new Error(failures.join('; '));
}

function findState(states: DriveState[], device: string): DriveState {
  const name = path.basename(device);
  const s = states.find((st) => path.basename(st.device) === name);
  if (!s) throw new Error(`${device} is not a drive started by hil:drive`);
  return s;
}

async function stopDrive(dir: string, s: DriveState): Promise<void> {
  if (await isOurDaemon(s.pid)) {
    process.kill(s.pid, 'SIGTERM');
    const deadline = Date.now() + DOWN_TIMEOUT_MS;
    while (await isOurDaemon(s.pid)) {
      if (Date.now() > deadline) throw new Error(`${s.device}: daemon ${s.pid} still running after ${DOWN_TIMEOUT_MS / 1000} s (log: ${s.log})`);
      await sleep(50);
    }
  }
  // The daemon removes its own state file; one still here means it died without tearing down.
  if (await exists(stateFileFor(dir, s.device))) await cleanUpAfterDeadDaemon(dir, s);
}

async function cleanUpAfterDeadDaemon(dir: string, s: DriveState): Promise<void> {
  const loop = path.basename(s.device);
  const backing = await readFile(`/sys/block/${loop}/loop/backing_file`, 'utf8').catch(() => '');
  // Only a loop device still backed by our FUSE file is ours to detach.
  if (backing.trim() === s.file) {
    const r = await run('losetup', ['-d', s.device]);
    if (r.code !== 0) throw new Error(`${s.device}: losetup -d: ${r.stderr.trim()}`);
  }
  if (await isMounted(s.mountpoint)) {
    let r = await run('fusermount3', ['-u', s.mountpoint]);
    if (r.code !== 0) r = await run('fusermount3', ['-u', '-z', s.mountpoint]);
    if (r.code !== 0) throw new Error(`${s.device}: fusermount3 -u ${s.mountpoint}: ${r.stderr.trim()}`);
  }
  const workDir = path.dirname(s.mountpoint);
  // Never recurse into a directory that might still hold a mount.
  if (path.basename(workDir).startsWith('imagebox-kdrive-') && !(await isMounted(s.mountpoint))) {
    await rm(workDir, { recursive: true, force: true });
  }
  await rm(s.statsFile, { force: true });
  await rm(stateFileFor(dir, s.device), { force: true });
}

async function status(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const states = await listStates(await stateDir());
  const rows = [];
  for (const s of states) rows.push({ ...s, alive: await isOurDaemon(s.pid) });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  for (const r of rows) {
    process.stdout.write(`${r.device}\t${r.spec}\tpid ${r.pid}\t${r.alive ? 'up' : 'stale (daemon gone; run down)'}\n`);
  }
}

/** Asks the daemon for the model's own account of what it served, and prints it. */
async function stats(args: string[]): Promise<void> {
  if (args.length !== 1) throw new UsageError('stats takes one DEVICE');
  const s = findState(await listStates(await stateDir()), args[0]);
  if (!(await isOurDaemon(s.pid))) throw new Error(`${s.device}: daemon ${s.pid} is gone`);
  const asked = Date.now();
  process.kill(s.pid, 'SIGUSR1');
  const deadline = asked + 10_000;
  for (;;) {
    const text = await readFile(s.statsFile, 'utf8').catch(() => '');
    if (text) {
      const snap = JSON.parse(text) as DriveStatsSnapshot;
      if (snap.writtenAt >= asked) {
        process.stdout.write(text);
        return;
      }
    }
    if (Date.now() > deadline) throw new Error(`${s.device}: no stats from daemon ${s.pid} within 10 s`);
    await sleep(20);
  }
}

async function isMounted(mountpoint: string): Promise<boolean> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  return mounts.split('\n').some((line) => line.split(' ')[1] === mountpoint);
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

main(process.argv.slice(2)).catch((err: Error & { code?: string }) => {
  const usage = err instanceof UsageError || (err.code ?? '').startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`hil:drive: ${err.message.split('\n')[0]}\n`);
  if (usage) process.stderr.write(`${USAGE}\n`);
  process.exitCode = usage ? 2 : 1;
});
