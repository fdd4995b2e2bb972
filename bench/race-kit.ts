// Pieces of the race (bench/race.ts): running a tool as a child process without blocking the event
// loop that serves the emulated drive, reading a mapfile's rescued bytes exactly, medians, tables.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { formatDuration } from '../controller/units.ts';

export interface ToolRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  /** The last few KiB of stderr. */
  readonly stderr: string;
  readonly wallMs: number;
}

/** The child being run, so that a signal handler can stop it. */
export let currentChild: ChildProcess | undefined;

/** Runs cmd asynchronously (the NBD server lives on this event loop); SIGKILL after timeoutMs. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ToolRun> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    currentChild = child;
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      if (stdout.length < 1 << 20) stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-8192);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      currentChild = undefined;
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      currentChild = undefined;
      resolve({ code, signal, timedOut, stdout, stderr, wallMs: performance.now() - t0 });
    });
  });
}

/** Bytes marked finished ('+') in a GNU ddrescue mapfile, counted exactly (ddrescuelog -t rounds). */
export async function mapfileRescuedBytes(file: string): Promise<number> {
  const text = await readFile(file, 'latin1');
  let statusLineSeen = false;
  let total = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!statusLineSeen) {
      statusLineSeen = true;
      continue;
    }
    const [pos, size, status] = line.split(/\s+/);
    if (pos === undefined || size === undefined || status === undefined) throw new Error(`${file}: bad line "${line}"`);
    if (status === '+') total += Number(size);
  }
  return total;
}

export function median(values: readonly number[]): number | undefined {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** imagebox / ddrescue; NaN when there is nothing to compare (both zero, or a side is missing). */
export function ratio(ours: number | undefined, theirs: number | undefined): number {
  if (ours === undefined && theirs === undefined) return NaN;
  if (ours === undefined) return Infinity; // we never got there, they did
  if (theirs === undefined) return 0; // we got there, they never did
  if (theirs === 0) return ours === 0 ? NaN : Infinity;
  return ours / theirs;
}

export function fmtRatio(r: number | undefined, digits = 3): string {
  if (r === undefined || Number.isNaN(r)) return '-';
  if (!Number.isFinite(r)) return 'inf';
  return r >= 100 ? r.toFixed(0) : r.toFixed(digits);
}

/** Drive-time: seconds with decimals while short, then formatDuration's h/m/s. */
export function fmtDrive(ms: number | undefined): string {
  if (ms === undefined) return 'never';
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  return formatDuration(ms);
}

export function printTable(header: string[], rows: string[][], rightAlign: (col: number) => boolean = () => false): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (rightAlign(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
