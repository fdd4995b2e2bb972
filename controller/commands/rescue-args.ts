// `imagebox rescue` arguments: parsed and checked here, into plain settings, before anything is opened.
import { parseCommandLine } from './command-line.ts';
import { UserError } from '../exit-codes.ts';
import type { PhaseName, RescueOptions } from '../rescue/options.ts';
import { ALL_PHASES, DEFAULT_OPTIONS, strategyOptions } from '../rescue/options.ts';
import { parseSize } from '../units.ts';

export interface RescueSettings {
  readonly source: string;
  readonly dest: string;
  readonly mapfile: string;
  readonly options: RescueOptions;
  readonly force: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly log: string | undefined;
  readonly readLog: string | undefined;
  /** ddrescue -i / -s: the domain as one range. */
  readonly inputPosition: number;
  readonly inputSize: number | undefined;
  /** ddrescue -m: the domain as the finished blocks of a mapfile. */
  readonly domainMapfile: string | undefined;
  /** Sector size for a file source (devices report their own). */
  readonly sectorSize: number | undefined;
  /** For emulated sources: run this many times faster than the drive would, in wall time. */
  readonly emuSpeed: number | undefined;
}

export const RESCUE_USAGE = `usage: imagebox rescue SOURCE DEST MAPFILE [options]

SOURCE is a block device, a file, or an emulated drive (emu:PATTERN?seed=N&size=64M).
DEST is an image file (created sparse) or a block device. MAPFILE is GNU ddrescue's format;
run the same command again to resume.

      --strategy NAME          smart (fewer failed reads, docs/strategy.md) or ddrescue (GNU
                               ddrescue 1.27's reads) [smart]
      --scrape MODE            all, sample (probe bad areas, read last what they left where it
                               holds data) or none [sample; all with --strategy ddrescue]
      --stop-at-pct PCT        stop (resumably) once PCT% of the domain is rescued
  -c, --cluster-size SECTORS   sectors per read in the copy passes [128]
  -K, --skip-size INIT[,MAX]   skip after an error, doubling up to MAX [64KiB or size/100000, 1% of size]
  -r, --retries N              retry passes over bad sectors [up to 5, until one recovers nothing;
                               0 with --strategy ddrescue]
  -R, --reverse                copy passes start at the end
  -a, --min-read-rate RATE     bytes/s under which an area is left for later (0 = off) [0]
  -e, --max-errors N           stop after N failed reads (also --max-failed-reads)
  -T, --max-run-time SECONDS   stop after this long on the job's clock (also --max-drive-time)
  -t, --read-timeout SECONDS   give up on a read that has not answered [30]
  -p, --phases LIST            phases to run, of copy,trim,scrape,retry [all]
  -i, --input-position POS     start of the domain [0]
  -s, --size SIZE              size of the domain [to the end]
  -m, --domain MAPFILE         read only the finished (+) blocks of this mapfile
  -b, --sector-size BYTES      sector size of a file source [512]
      --save-interval SECONDS  mapfile save interval [5]
  -f, --force                  write over an existing image that has no mapfile
      --json                   print the final summary as JSON on stdout
  -q, --quiet                  no live status
      --log FILE               job log (JSON lines, appended) [MAPFILE.log]
      --read-log FILE          one JSON line per read (appended)
      --emu-speed N            emulated sources: wall time = drive-time / N [unpaced]`;

function count(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new UserError(`--${name}: '${text}' is not a number >= ${min}`);
  return n;
}

function size(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSize(text);
  } catch (err) {
    throw new UserError(`--${name}: ${(err as Error).message}`);
  }
}

function phases(text: string | undefined): readonly PhaseName[] {
  if (text === undefined) return ALL_PHASES;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of list) {
    if (!(ALL_PHASES as readonly string[]).includes(p)) throw new UserError(`--phases: unknown phase '${p}' (valid: ${ALL_PHASES.join(', ')})`);
  }
  return ALL_PHASES.filter((p) => list.includes(p));
}

export function parseRescueArgs(argv: string[]): RescueSettings {
  const { values: v, positionals } = parseCommandLine(argv, {
    strategy: { type: 'string' },
    scrape: { type: 'string' },
    'stop-at-pct': { type: 'string' },
    'max-failed-reads': { type: 'string' },
    'max-drive-time': { type: 'string' },
    'cluster-size': { type: 'string', short: 'c' },
    'skip-size': { type: 'string', short: 'K' },
    retries: { type: 'string', short: 'r' },
    reverse: { type: 'boolean', short: 'R' },
    'min-read-rate': { type: 'string', short: 'a' },
    'max-errors': { type: 'string', short: 'e' },
    'max-run-time': { type: 'string', short: 'T' },
    'read-timeout': { type: 'string', short: 't' },
    phases: { type: 'string', short: 'p' },
    'input-position': { type: 'string', short: 'i' },
    size: { type: 'string', short: 's' },
    domain: { type: 'string', short: 'm' },
    'sector-size': { type: 'string', short: 'b' },
    'save-interval': { type: 'string' },
    force: { type: 'boolean', short: 'f' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    log: { type: 'string' },
    'read-log': { type: 'string' },
    'emu-speed': { type: 'string' },
  }, ['SOURCE', 'DEST', 'MAPFILE'], RESCUE_USAGE);
  const [source, dest, mapfile] = positionals;
  const [skipInit, skipMax] = (v['skip-size'] ?? '').split(',');
  const sectorSize = count('sector-size', v['sector-size'], 1);
  if (sectorSize !== undefined && (sectorSize & (sectorSize - 1)) !== 0) throw new UserError(`--sector-size: ${sectorSize} is not a power of two`);
  const seconds = (name: string, text: string | undefined) => {
    const s = count(name, text, 0);
    return s === undefined ? undefined : s * 1000;
  };
  const strategy = v.strategy ?? DEFAULT_OPTIONS.strategy;
  if (strategy !== 'smart' && strategy !== 'ddrescue') throw new UserError(`--strategy: '${strategy}' is not smart or ddrescue`);
  const scrape = v.scrape;
  if (scrape !== undefined && scrape !== 'all' && scrape !== 'sample' && scrape !== 'none') {
    throw new UserError(`--scrape: '${scrape}' is not all, sample or none`);
  }
  const base = strategyOptions(strategy);
  const options: RescueOptions = {
    ...DEFAULT_OPTIONS,
    ...base,
    scrape: scrape ?? base.scrape,
    stopAtPct: count('stop-at-pct', v['stop-at-pct'], 0) ?? 100,
    clusterSectors: count('cluster-size', v['cluster-size'], 1) ?? DEFAULT_OPTIONS.clusterSectors,
    skipInitial: size('skip-size', skipInit || undefined) ?? DEFAULT_OPTIONS.skipInitial,
    skipMax: size('skip-size', skipMax || undefined) ?? DEFAULT_OPTIONS.skipMax,
    retries: count('retries', v.retries, 0) ?? base.retries,
    reverse: v.reverse ?? false,
    minReadRate: size('min-read-rate', v['min-read-rate']) ?? 0,
    maxErrors: count('max-errors', v['max-errors'] ?? v['max-failed-reads'], 0) ?? Infinity,
    maxRunTimeMs: seconds('max-run-time', v['max-run-time'] ?? v['max-drive-time']) ?? Infinity,
    readTimeoutMs: seconds('read-timeout', v['read-timeout']) ?? DEFAULT_OPTIONS.readTimeoutMs,
    phases: phases(v.phases),
    saveIntervalMs: seconds('save-interval', v['save-interval']) ?? DEFAULT_OPTIONS.saveIntervalMs,
  };
  if (!Number.isInteger(options.clusterSectors) || !Number.isInteger(options.retries)) {
    throw new UserError('--cluster-size and --retries take whole numbers');
  }
  return {
    source, dest, mapfile, options,
    force: v.force ?? false,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    log: v.log,
    readLog: v['read-log'],
    inputPosition: size('input-position', v['input-position']) ?? 0,
    inputSize: size('size', v.size),
    domainMapfile: v.domain,
    sectorSize,
    emuSpeed: count('emu-speed', v['emu-speed'], 0),
  };
}
