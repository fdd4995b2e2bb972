// npm run bench:race — GNU ddrescue against `imagebox rescue` on the same emulated failing drive,
// through the kernel (our NBD server -> nbdfuse -> read-only direct-io loop device), with a fresh
// drive for every run. The drive's own referee keeps the score, whatever either tool says.
//
// Usage: npm run bench:race -- [--size 128M] [--seeds 1,2,3] [--patterns dead-head,zone]
//          [--json FILE] [--imagebox-args='-r3 --strategy smart'] [--timeout 1800]
// Needs root, GNU ddrescue (gddrescue), nbdfuse (libnbd-bin), fuse3.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatBytes } from '../controller/units.ts';
import { DriveModel } from '../hil/drive-model.ts';
import { parseEmuUrl } from '../hil/emu-url.ts';
import { formatCostModel } from '../hil/drive-time.ts';
import { attachKernelDrive, kernelPathAvailable } from '../hil/kernel-drive.ts';
import { PATTERNS } from '../hil/patterns.ts';
import type { RefereeStats } from '../hil/referee.ts';
import { compareWithDdrescuelog, haveDdrescue, NO_DDRESCUE, run } from '../test/helpers/ddrescuelog.ts';
import type { ToolRun } from './race-kit.ts';
import { currentChild, fmtDrive, fmtRatio, mapfileRescuedBytes, median, printTable, ratio, runTool } from './race-kit.ts';

const TOOLS = ['ddrescue', 'imagebox'] as const;
type Tool = (typeof TOOLS)[number];

const DDRESCUE_ARGS = ['-d', '-r3'];
const CLI = path.join(import.meta.dirname, '..', 'controller', 'cli.ts');

// Hung reads cost 200 ms of wall time so that ddrescue's many hung reads end in minutes; a
// vanished drive answers again after one hung read (nothing can reset it through the kernel).
const RACE_PARAMS: Record<string, string> = {
  hang: 'wallHangMs=200',
  vanish: 'wallHangMs=200&recoverAfterMs=30000',
};

// The issue's goals (median over seeds, per pattern), as imagebox/ddrescue ratios.
const FAILED_READS_GOAL: Record<string, number> = { 'dead-head': 0.1, 'weak-head': 0.1, zone: 0.1, scattered: 0.5 };
const T99_GOAL = 0.5;
// Sequential reading is already the best order on these: no time goal.
const NO_T99_GOAL = new Set(['healthy', 'slow']);

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128M' },
    seeds: { type: 'string', default: '1,2,3' },
    patterns: { type: 'string', default: PATTERNS.join(',') },
    json: { type: 'string' },
    'imagebox-args': { type: 'string', default: '' },
    timeout: { type: 'string', default: '1800' },
  },
});

interface RunResult {
  readonly tool: Tool;
  readonly url: string;
  readonly exit: number | string;
  readonly wallMs: number;
  readonly stats: RefereeStats;
  /** '+' bytes in the tool's own mapfile, or undefined when it left none. */
  readonly mapRescued: number | undefined;
}

interface Race {
  readonly pattern: string;
  readonly seed: number;
  readonly runs: Record<Tool, RunResult>;
  /** ddrescuelog -P: both mapfiles mark exactly the same bytes finished. */
  readonly mapsAgree: boolean | undefined;
  /** Bytes only that tool's mapfile marks finished. */
  readonly onlyDdrescue: number | undefined;
  readonly onlyImagebox: number | undefined;
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping the current run and detaching the drive`);
    currentChild?.kill('SIGKILL');
  });
}

async function raceOne(tool: Tool, url: string, dir: string, stateDir: string): Promise<RunResult> {
  const model = new DriveModel(parseEmuUrl(url));
  const img = path.join(dir, `${tool}.img`);
  const map = path.join(dir, `${tool}.map`);
  const kd = await attachKernelDrive(model, { workDir: dir });
  let r: ToolRun;
  try {
    const env = { ...process.env, IMAGEBOX_STATE_DIR: stateDir };
    const timeoutMs = Number(values.timeout) * 1000;
    const extra = values['imagebox-args'].split(/\s+/).filter(Boolean);
    r =
      tool === 'ddrescue'
        ? await runTool('ddrescue', [...DDRESCUE_ARGS, kd.device, img, map], env, timeoutMs)
        : await runTool(process.execPath, [CLI, 'rescue', kd.device, img, map, '--quiet', '--json', ...extra], env, timeoutMs);
  } finally {
    await kd.detach();
  }
  const exit = r.timedOut ? 'timeout' : (r.signal ?? r.code ?? 'none');
  const okExit = tool === 'ddrescue' ? [0] : [0, 1];
  if (!stopping && (typeof exit !== 'number' || !okExit.includes(exit))) {
    console.error(`${tool} on ${url}: exit ${exit}\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  const mapRescued = await mapfileRescuedBytes(map).catch(() => undefined);
  return { tool, url, exit, wallMs: r.wallMs, stats: model.stats(), mapRescued };
}

async function compareMaps(dir: string): Promise<Pick<Race, 'mapsAgree' | 'onlyDdrescue' | 'onlyImagebox'>> {
  const dd = path.join(dir, 'ddrescue.map');
  const ib = path.join(dir, 'imagebox.map');
  try {
    const mapsAgree = await compareWithDdrescuelog(dd, ib).then(async (same) => {
      // -p compares every status; -P (finished blocks only) is what "agree on what was rescued" means.
      if (same) return true;
      const r = await run('ddrescuelog', ['-P', ib, dd]);
      if (r.code > 1) throw new Error(`ddrescuelog -P failed (exit ${r.code}): ${r.stderr.trim()}`);
      return r.code === 0;
    });
    const and = await run('ddrescuelog', ['-y', ib, dd]);
    if (and.code !== 0) throw new Error(`ddrescuelog -y failed (exit ${and.code}): ${and.stderr.trim()}`);
    const both = path.join(dir, 'both.map');
    await writeFile(both, and.stdout);
    const common = await mapfileRescuedBytes(both);
    return {
      mapsAgree,
      onlyDdrescue: (await mapfileRescuedBytes(dd)) - common,
      onlyImagebox: (await mapfileRescuedBytes(ib)) - common,
    };
  } catch (e) {
    console.error(`comparing the mapfiles in ${dir}: ${(e as Error).message}`);
    return { mapsAgree: undefined, onlyDdrescue: undefined, onlyImagebox: undefined };
  }
}

async function main(): Promise<number> {
  const kernel = await kernelPathAvailable();
  if (!kernel.ok) {
    console.error(`bench:race needs the kernel path: ${kernel.why}`);
    return 2;
  }
  if (!haveDdrescue) {
    console.error(NO_DDRESCUE);
    return 2;
  }
  const patterns = values.patterns.split(',').filter(Boolean);
  const seeds = values.seeds.split(',').filter(Boolean).map(Number);
  for (const p of patterns) parseEmuUrl(`emu:${p}?size=${values.size}`); // fail early on a bad name or size

  const top = await mkdtemp(path.join(os.tmpdir(), 'imagebox-race-'));
  const stateDir = path.join(top, 'state');
  const races: Race[] = [];
  const t0 = performance.now();
  let cost = '';
  try {
    for (const pattern of patterns) {
      for (const seed of seeds) {
        if (stopping) break;
        const extra = RACE_PARAMS[pattern] ? `&${RACE_PARAMS[pattern]}` : '';
        const url = `emu:${pattern}?seed=${seed}&size=${values.size}${extra}`;
        cost ||= formatCostModel(new DriveModel(parseEmuUrl(url)).cost);
        const dir = await mkdtemp(path.join(top, `${pattern}-${seed}-`));
        const runs = {} as Record<Tool, RunResult>;
        for (const tool of TOOLS) {
          if (stopping) break;
          runs[tool] = await raceOne(tool, url, dir, stateDir);
          const s = runs[tool].stats;
          console.error(
            `${pattern.padEnd(9)} seed ${seed} ${tool.padEnd(8)} exit ${String(runs[tool].exit).padEnd(2)} ` +
              `${(runs[tool].wallMs / 1000).toFixed(1).padStart(6)}s wall, ${s.reads} reads, ${s.failedReads} failed, ` +
              `to 99% ${fmtDrive(s.driveMsAt99)}`,
          );
        }
        if (stopping) break;
        races.push({ pattern, seed, runs, ...(await compareMaps(dir)) });
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await rm(top, { recursive: true, force: true });
  }
  const wall = performance.now() - t0;
  report(races, cost, wall);
  if (values.json) {
    const out = { size: values.size, seeds, patterns, ddrescueArgs: DDRESCUE_ARGS, imageboxArgs: values['imagebox-args'], raceParams: RACE_PARAMS, costModel: cost, wallMs: wall, races, summary: summarise(races) };
    await writeFile(values.json, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nresults saved to ${values.json}`);
  }
  return stopping ? 130 : 0;
}

const pct = (s: RefereeStats) => `${((s.rescuedBytes * 100) / s.readableBytes).toFixed(3)}%`;

function report(races: readonly Race[], cost: string, wallMs: number): void {
  const imageboxArgs = values['imagebox-args'] ? ` ${values['imagebox-args']}` : ' (default settings)';
  console.log(`\ndrive-time cost model: ${cost}; a slow zone costs its factor (20-50x) times the transfer time`);
  console.log(`GNU ddrescue ${DDRESCUE_ARGS.join(' ')} vs imagebox rescue${imageboxArgs}, drive ${values.size} through nbdfuse + direct-io loop device`);
  console.log(`race parameters: ${Object.entries(RACE_PARAMS).map(([p, q]) => `${p}: ${q}`).join('; ')}`);
  console.log('times are drive-time on the emulated drive\'s clock; counts are from its referee; "bad hits" = permanently bad sectors read, summed\n');

  const header = ['pattern', 'seed', 'tool', 'to 90%', 'to 99%', 'to 100%', 'total', 'reads', 'failed', 'bad hits', 'unstable', 'rescued', 'map=ref', 'maps agree', 'exit', 'wall'];
  const rows: string[][] = [];
  for (const r of races) {
    for (const tool of TOOLS) {
      const x = r.runs[tool];
      const s = x.stats;
      const agree =
        r.mapsAgree === undefined ? 'n/a' : r.mapsAgree ? 'yes' : `no: only ${tool === 'ddrescue' ? 'dd' : 'ib'} ${formatBytes((tool === 'ddrescue' ? r.onlyDdrescue : r.onlyImagebox) ?? 0)}`;
      rows.push([
        r.pattern, String(r.seed), tool, fmtDrive(s.driveMsAt90), fmtDrive(s.driveMsAt99), fmtDrive(s.driveMsAt100), fmtDrive(s.driveMs),
        String(s.reads), String(s.failedReads), String(s.badSectorTouches), `${s.unstableRecovered}/${s.unstableTotal}`, pct(s),
        x.mapRescued === undefined ? 'no map' : x.mapRescued === s.rescuedBytes ? 'yes' : `map ${x.mapRescued}`,
        agree, String(x.exit), `${(x.wallMs / 1000).toFixed(1)}s`,
      ]);
    }
  }
  printTable(header, rows, (i) => i >= 3 && i <= 11);

  console.log('\nper pattern, median over seeds of imagebox/ddrescue (lower is better, except rescued)');
  const sum = summarise(races);
  const goalCell = (g: Goal | undefined) => (g === undefined ? '-' : `${g.pass ? 'PASS' : 'MISS'} (${g.target})`);
  printTable(
    ['pattern', 'seeds', 'to 90%', 'to 99%', 'to 100%', 'total', 'reads', 'failed', 'bad hits', 'rescued bytes', 'unstable dd/ib', 'goal: rescued', 'goal: failed', 'goal: to 99%'],
    sum.map((p) => [
      p.pattern, String(p.seeds), fmtRatio(p.ratios.t90), fmtRatio(p.ratios.t99), fmtRatio(p.ratios.t100), fmtRatio(p.ratios.total),
      fmtRatio(p.ratios.reads), fmtRatio(p.ratios.failed), fmtRatio(p.ratios.badHits), fmtRatio(p.ratios.rescued, 5),
      `${p.unstable.ddrescue}/${p.unstable.imagebox}`, goalCell(p.goals.rescued), goalCell(p.goals.failed), goalCell(p.goals.t99),
    ]),
    (i) => i >= 2 && i <= 9,
  );
  const goals = sum.flatMap((p) => Object.values(p.goals).filter((g): g is Goal => g !== undefined));
  console.log(`\ngoals met: ${goals.filter((g) => g.pass).length}/${goals.length}; wall time ${(wallMs / 60000).toFixed(1)} min`);
}

interface Goal {
  readonly target: string;
  readonly pass: boolean;
}

interface PatternSummary {
  readonly pattern: string;
  readonly seeds: number;
  readonly ratios: Record<'t90' | 't99' | 't100' | 'total' | 'reads' | 'failed' | 'badHits' | 'rescued', number | undefined>;
  /** Median unstable sectors recovered by each tool. */
  readonly unstable: Record<Tool, number | undefined>;
  readonly goals: { rescued: Goal; failed: Goal | undefined; t99: Goal | undefined };
}

function summarise(races: readonly Race[]): PatternSummary[] {
  const out: PatternSummary[] = [];
  for (const pattern of [...new Set(races.map((r) => r.pattern))]) {
    const mine = races.filter((r) => r.pattern === pattern);
    const med = (f: (s: RefereeStats) => number | undefined) =>
      median(mine.map((r) => ratio(f(r.runs.imagebox.stats), f(r.runs.ddrescue.stats))));
    const ratios = {
      t90: med((s) => s.driveMsAt90),
      t99: med((s) => s.driveMsAt99),
      t100: med((s) => s.driveMsAt100),
      total: med((s) => s.driveMs),
      reads: med((s) => s.reads),
      failed: med((s) => s.failedReads),
      badHits: med((s) => s.badSectorTouches),
      rescued: med((s) => s.rescuedBytes),
    };
    const failedGoal = FAILED_READS_GOAL[pattern];
    const ok = (r: number | undefined, pass: (x: number) => boolean) => r !== undefined && pass(r);
    out.push({
      pattern,
      seeds: mine.length,
      ratios,
      unstable: {
        ddrescue: median(mine.map((r) => r.runs.ddrescue.stats.unstableRecovered)),
        imagebox: median(mine.map((r) => r.runs.imagebox.stats.unstableRecovered)),
      },
      goals: {
        rescued: { target: '>= 1', pass: ok(ratios.rescued, (x) => x >= 1) },
        failed: failedGoal === undefined ? undefined : { target: `<= ${failedGoal}`, pass: ok(ratios.failed, (x) => x <= failedGoal) },
        t99: NO_T99_GOAL.has(pattern) ? undefined : { target: `<= ${T99_GOAL}`, pass: ok(ratios.t99, (x) => x <= T99_GOAL) },
      },
    });
  }
  return out;
}

process.exitCode = await main();
