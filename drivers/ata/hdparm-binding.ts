// The real binding: spawns hdparm. A drive that hangs can hold hdparm in uninterruptible sleep
// for minutes, so a timeout answers 'unavailable' at once and leaves the process to the kernel
// (SIGKILL lands when the ioctl returns) instead of waiting for it to exit.

import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import type { AtaBinding, HdparmResult } from './types.ts';

/** hdparm lives in sbin, which a non-login PATH may lack. */
const SBIN = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

export interface HdparmBindingOptions {
  /** An explicit hdparm path; otherwise it is looked up in searchPath. */
  readonly program?: string;
  /** Directories to look in (PATH syntax). Default: $PATH plus the sbin directories. */
  readonly searchPath?: string;
  /** Per command (default 20 s; READ NATIVE MAX on a sick drive can take the kernel's 30 s + retries). */
  readonly timeoutMs?: number;
}

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function locate(opts: HdparmBindingOptions): Promise<string | undefined> {
  if (opts.program) return (await executable(opts.program)) ? opts.program : undefined;
  const dirs = (opts.searchPath ?? [process.env.PATH ?? '', ...SBIN].join(path.delimiter)).split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, 'hdparm');
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

function run(program: string, args: readonly string[], timeoutMs: number): Promise<HdparmResult> {
  const command = ['hdparm', ...args].join(' ');
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const settle = (r: HdparmResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    // LC_ALL=C: the parsers read hdparm's English messages and perror() strings.
    const child = spawn(program, args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      child.unref();
      settle({ kind: 'unavailable', command, note: `${command} did not answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} (the drive may be hung)` });
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      settle({ kind: 'unavailable', command, note: `cannot run hdparm (${err.code ?? err.message})` });
    });
    child.on('close', (code, signal) => {
      settle({ kind: 'ran', command, code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

export function hdparmBinding(opts: HdparmBindingOptions = {}): AtaBinding {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  let program: Promise<string | undefined> | undefined;
  const hdparm = async (args: string[]): Promise<HdparmResult> => {
    const device = args[args.length - 1];
    // A name starting with '-' would reach hdparm as a flag.
    if (!path.isAbsolute(device)) return { kind: 'unavailable', command: ['hdparm', ...args].join(' '), note: `not a device path: '${device}'` };
    program ??= locate(opts);
    const file = await program;
    if (!file) {
      return { kind: 'unavailable', command: ['hdparm', ...args].join(' '), note: 'hdparm is not installed (not found on PATH or in sbin): install the hdparm package' };
    }
    return run(file, args, timeoutMs);
  };
  return {
    label: opts.program ?? 'hdparm',
    readMax: (dev) => hdparm(['-N', dev]),
    dcoIdentify: (dev) => hdparm(['--dco-identify', dev]),
    identify: (dev) => hdparm(['-I', dev]),
    setMaxVolatile: (dev, sectors) => {
      // A count with no 'p' prefix is volatile; refuse anything but a plain positive integer.
      if (!Number.isSafeInteger(sectors) || sectors < 1) throw new RangeError(`not a sector count: ${sectors}`);
      return hdparm(['--yes-i-know-what-i-am-doing', '-N', String(sectors), dev]);
    },
    dcoRestore: (dev) => hdparm(['--yes-i-know-what-i-am-doing', '--dco-restore', dev]),
  };
}
