// The host programs the kernel path needs, and an async way to run them: the NBD server shares the
// caller's event loop, so nothing here may block it while the kernel waits on that server.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

/** losetup and blockdev live in sbin, which a non-login PATH may lack. */
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];

export async function findProgram(name: string): Promise<string | null> {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; next directory
    }
  }
  return null;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion; never rejects for a non-zero exit (the caller reads `code`). */
export async function run(program: string, args: readonly string[], timeoutMs = 30_000): Promise<RunResult> {
  const file = (await findProgram(program)) ?? program;
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr: stderr || (err && code === -1 ? err.message : '') });
    });
  });
}

/** Runs a program and returns its stdout, or throws one line naming the program and its complaint. */
export async function runOk(program: string, args: readonly string[], timeoutMs?: number): Promise<string> {
  const r = await run(program, args, timeoutMs);
  if (r.code !== 0) {
    const why = (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
    throw new Error(`${program} ${args.join(' ')}: ${why}`);
  }
  return r.stdout;
}

export type KernelPathCheck = { ok: true } | { ok: false; why: string };

/** Whether this host can show an emulated drive to the kernel (NBD -> nbdfuse -> loop device). */
export async function kernelPathAvailable(): Promise<KernelPathCheck> {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (losetup needs it)');
  for (const dev of ['/dev/fuse', '/dev/loop-control']) {
    try {
      await access(dev, constants.R_OK | constants.W_OK);
    } catch {
      missing.push(dev);
    }
  }
  for (const prog of ['nbdfuse', 'losetup', 'fusermount3']) {
    if (!(await findProgram(prog))) missing.push(prog);
  }
  return missing.length === 0 ? { ok: true } : { ok: false, why: `kernel drive path unavailable, missing: ${missing.join(', ')}` };
}
