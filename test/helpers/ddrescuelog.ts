// GNU ddrescue's own tools as the judge of our mapfiles.

import { execFile, spawnSync } from 'node:child_process';

/** True when GNU ddrescue and ddrescuelog are on PATH. */
export const haveDdrescue: boolean =
  spawnSync('ddrescue', ['--version']).status === 0 && spawnSync('ddrescuelog', ['--version']).status === 0;

export const NO_DDRESCUE = 'GNU ddrescue is not on PATH (apt-get install gddrescue); skipping the tests against it';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 2 ** 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err);
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/**
 * `ddrescuelog -p a b`: true when both maps give every byte of their common domain the same status.
 * Throws when ddrescuelog cannot read one of them.
 */
export async function compareWithDdrescuelog(a: string, b: string): Promise<boolean> {
  const r = await run('ddrescuelog', ['-p', b, a]);
  if (r.code === 0) return true;
  if (r.code === 1 && /differ/.test(r.stderr)) return false;
  throw new Error(`ddrescuelog -p failed (exit ${r.code}): ${r.stderr.trim()}`);
}

export interface Total {
  bytes: number;
  areas: number;
}

export interface DdrescuelogTotals {
  currentPos: number;
  extent: Total;
  nonTried: Total;
  rescued: Total;
  nonTrimmed: Total;
  nonScraped: Total;
  badSector: Total;
  /** ddrescuelog rounds sizes from 10^6 bytes up into kB, MB...; false when any size here was rounded. */
  exact: boolean;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, PB: 1e15, EB: 1e18 };

/** Runs `ddrescuelog -t` and reads its summary; throws when ddrescuelog refuses the map. */
export async function ddrescuelogTotals(path: string): Promise<DdrescuelogTotals> {
  const r = await run('ddrescuelog', ['-t', path]);
  if (r.code !== 0) throw new Error(`ddrescuelog -t ${path} failed (exit ${r.code}): ${r.stderr.trim()}`);
  let exact = true;
  const size = (label: string): number => {
    const m = new RegExp(`${label}:\\s+(\\d+) (\\w+)`).exec(r.stdout);
    if (!m || !(m[2] in UNITS)) throw new Error(`no '${label}' in ddrescuelog output:\n${r.stdout}`);
    if (m[2] !== 'B') exact = false;
    return Number(m[1]) * UNITS[m[2]];
  };
  const total = (label: string): Total => {
    const m = new RegExp(`${label}:.*?in\\s+(\\d+) area`).exec(r.stdout);
    if (!m) throw new Error(`no '${label}' area count in ddrescuelog output:\n${r.stdout}`);
    return { bytes: size(label), areas: Number(m[1]) };
  };
  return {
    currentPos: size('current pos'),
    extent: total('mapfile extent'),
    nonTried: total('non-tried'),
    rescued: total('rescued'),
    nonTrimmed: total('non-trimmed'),
    nonScraped: total('non-scraped'),
    badSector: total('bad-sector'),
    exact,
  };
}
