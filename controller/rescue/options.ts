// Rescue options: plain data, kept apart from run-time counters. Two strategies share them:
// 'smart' (the default) spends failed reads, which wear a dying drive, only where they are
// expected to pay (docs/strategy.md); 'ddrescue' reproduces GNU ddrescue 1.27's reads.

export type PhaseName = 'copy' | 'trim' | 'scrape' | 'retry';

export const ALL_PHASES: readonly PhaseName[] = ['copy', 'trim', 'scrape', 'retry'];

export type Strategy = 'smart' | 'ddrescue';

/** How the scrape phase treats a non-scraped area: every sector, probes around samples, or not at all. */
export type ScrapeMode = 'all' | 'sample' | 'none';

export interface RescueOptions {
  readonly strategy: Strategy;
  /** Sectors per read in the copy passes (ddrescue -c, default 128: 64 KiB on 512-byte sectors). */
  readonly clusterSectors: number;
  /**
   * Sectors per read in the first copy pass while no read of the job has failed or been slow
   * (runway.ts); 0 = off. Fewer, larger reads cost the host less per byte on a healthy drive.
   */
  readonly runwaySectors: number;
  /** Bytes skipped after the first error of a run of errors; 0 = max(64 KiB, size / 100000). */
  readonly skipInitial: number;
  /** Upper bound of the skip, which doubles on each consecutive error; 0 = 1% of the size. */
  readonly skipMax: number;
  /** Retry passes over bad sectors (ddrescue -r). */
  readonly retries: number;
  /** Stop the retry passes after one that recovered nothing. */
  readonly retryUntilFruitless: boolean;
  readonly scrape: ScrapeMode;
  /** Mark a short non-tried stretch with failed reads on both sides as non-trimmed instead of reading it in the sweep. */
  readonly deferBoundedGaps: boolean;
  /** The first forward copy pass finds each bad run's edges from the good side and skips the runs a periodic pattern predicts (smart-copy.ts). */
  readonly learnBands: boolean;
  /** A sequential good read this many times slower than the drive's typical rate counts as slow (0 = off). */
  readonly slowFactor: number;
  /** Stop (resumably) once this percentage of the domain is rescued (100 = never). */
  readonly stopAtPct: number;
  /** Start the copy passes at the end of the domain (ddrescue -R). */
  readonly reverse: boolean;
  /** Bytes/s under which a good read counts as slow: skipped like an error in the first two copy passes. 0 = off. */
  readonly minReadRate: number;
  /** Stop (resumably) once this many reads have failed. Infinity = no limit. */
  readonly maxErrors: number;
  /** Stop (resumably) after this many ms of run time on the job's clock. Infinity = no limit. */
  readonly maxRunTimeMs: number;
  /** A read with no answer after this many ms is abandoned, the source reopened, and the read tried once more. */
  readonly readTimeoutMs: number;
  /** Phases to run, in the fixed order copy, trim, scrape, retry. */
  readonly phases: readonly PhaseName[];
  /** Wall-clock ms between mapfile saves. */
  readonly saveIntervalMs: number;
}

/** The options that make a strategy; everything else is shared. */
export function strategyOptions(strategy: Strategy): Pick<
  RescueOptions,
  'strategy' | 'retries' | 'retryUntilFruitless' | 'scrape' | 'deferBoundedGaps' | 'slowFactor' | 'learnBands'
> {
  return strategy === 'ddrescue'
    ? { strategy, retries: 0, retryUntilFruitless: false, scrape: 'all', deferBoundedGaps: false, slowFactor: 0, learnBands: false }
    : { strategy, retries: 5, retryUntilFruitless: true, scrape: 'sample', deferBoundedGaps: true, slowFactor: 8, learnBands: true };
}

// 'smart' rescues everything GNU ddrescue's algorithm rescues on every emulated pattern, with
// fewer failed reads (docs/strategy.md has the measurements).
export const DEFAULT_OPTIONS: RescueOptions = {
  ...strategyOptions('smart'),
  clusterSectors: 128,
  runwaySectors: 0,
  skipInitial: 0,
  skipMax: 0,
  stopAtPct: 100,
  reverse: false,
  minReadRate: 0,
  maxErrors: Infinity,
  maxRunTimeMs: Infinity,
  readTimeoutMs: 30_000,
  phases: ALL_PHASES,
  saveIntervalMs: 5_000,
};

const KIB64 = 64 * 1024;

/** The skip bounds ddrescue derives from the domain size, aligned to the sector size. */
export function skipBounds(opts: RescueOptions, domainSize: number, sectorSize: number): { initial: number; max: number } {
  const align = (n: number) => Math.max(sectorSize, n - (n % sectorSize));
  const initial = align(opts.skipInitial > 0 ? opts.skipInitial : Math.max(KIB64, Math.floor(domainSize / 100_000)));
  const max = align(opts.skipMax > 0 ? opts.skipMax : Math.max(initial, Math.floor(domainSize / 100)));
  return { initial, max: Math.max(initial, max) };
}
