// Direct reads and writes on a device through dd in a child process: the NBD server behind the
// device runs on the test's own event loop, so the test must never block it with sync I/O.
import { spawn } from 'node:child_process';

export interface DdResult {
  readonly code: number | null;
  readonly data: Buffer;
  readonly stderr: string;
  readonly ms: number;
}

export function runCommand(cmd: string, args: readonly string[], input?: Buffer): Promise<DdResult> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, data: Buffer.concat(out), stderr, ms: performance.now() - t0 }));
    if (input && child.stdin) child.stdin.end(input);
  });
}

/** count blocks of bs bytes from block skip, with O_DIRECT. */
export function ddRead(device: string, bs: number, skip: number, count: number): Promise<DdResult> {
  return runCommand('dd', [`if=${device}`, 'iflag=direct', `bs=${bs}`, `skip=${skip}`, `count=${count}`, 'status=none']);
}

/** Seconds dd reports for its copy ("... copied, 0.123 s, ..."). */
export function ddSeconds(stderr: string): number {
  const m = /copied, ([\d.]+) s/.exec(stderr);
  if (!m) throw new Error(`no timing in dd output: ${stderr.trim()}`);
  return Number(m[1]);
}
