// The long-lived half of `hil:drive up`: builds the drive model, shows it to the kernel, reports
// the device to its parent over IPC, and serves until SIGTERM. SIGUSR1 writes the model's referee
// stats next to the state file. Usage (by drive-cli.ts only): drive-daemon.ts EMU_URL STATE_DIR LOG
import { rm } from 'node:fs/promises';
import { DriveModel } from './drive-model.ts';
import { parseEmuUrl, formatEmuUrl } from './emu-url.ts';
import { attachKernelDrive } from './kernel-drive.ts';
import type { KernelDrive } from './kernel-drive.ts';
import { stateFileFor, statsFileFor, writeJsonAtomic } from './drive-state.ts';
import type { DriveState, DriveStatsSnapshot } from './drive-state.ts';

export type DaemonMessage = { type: 'ready'; device: string } | { type: 'error'; message: string };

const [url, dir, log] = process.argv.slice(2);

function tell(msg: DaemonMessage): void {
  if (process.send && process.connected) process.send(msg);
}

function logLine(text: string): void {
  process.stdout.write(`${new Date().toISOString()} ${text}\n`);
}

let drive: KernelDrive | undefined;
let stopping = false;
let stateFile: string | undefined;

async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Still attaching: main() sees `stopping` and tears down once attach returns.
  if (!drive) return;
  logLine(`${signal}: detaching ${drive.device}`);
  let code = 0;
  try {
    await drive.detach();
  } catch (err) {
    logLine(`detach failed: ${(err as Error).message}`);
    code = 1;
  }
  if (stateFile) await rm(stateFile, { force: true });
  if (dir) await rm(statsFileFor(dir, drive.device), { force: true });
  logLine('stopped');
  // A clean stop leaves nothing worth reading; a failed one keeps its log for the post-mortem.
  if (code === 0 && log) await rm(log, { force: true });
  process.exit(code);
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

async function main(): Promise<void> {
  if (!url || !dir || !log) throw new Error('usage: drive-daemon.ts EMU_URL STATE_DIR LOG');
  const spec = parseEmuUrl(url);
  const model = new DriveModel(spec);
  drive = await attachKernelDrive(model);
  const device = drive.device;
  if (stopping) {
    stopping = false;
    await stop('SIGTERM (during attach)');
    return;
  }
  const statsFile = statsFileFor(dir, device);
  const state: DriveState = {
    device,
    pid: process.pid,
    nbdfusePid: drive.nbdfusePid,
    socketPath: drive.socketPath,
    mountpoint: drive.mountpoint,
    file: drive.file,
    spec: formatEmuUrl(spec),
    size: model.size,
    sectorSize: model.sectorSize,
    startedAt: new Date().toISOString(),
    log,
    statsFile,
  };
  stateFile = stateFileFor(dir, device);
  await writeJsonAtomic(stateFile, state);

  const k = drive;
  process.on('SIGUSR1', () => {
    const snapshot: DriveStatsSnapshot = {
      writtenAt: Date.now(),
      device,
      spec: state.spec,
      model: model.stats(),
      server: k.serverStats(),
    };
    writeJsonAtomic(statsFile, snapshot).catch((err: Error) => logLine(`stats: ${err.message}`));
  });

  logLine(`serving ${state.spec} as ${device} (nbdfuse pid ${drive.nbdfusePid})`);
  tell({ type: 'ready', device });
  // Free the parent to exit: from here the daemon answers only to signals.
  if (process.connected) process.disconnect();
}

main().catch(async (err: Error) => {
  logLine(`failed: ${err.stack ?? err.message}`);
  tell({ type: 'error', message: err.message });
  if (drive) await drive.detach().catch(() => {});
  process.exit(1);
});
