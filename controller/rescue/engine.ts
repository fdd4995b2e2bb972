// The rescue, top to bottom: a list of phases in ddrescue's order. Plain async code: the job
// machine invokes it once, with an AbortSignal, and hears from it through onProgress.
import type { Logger } from 'pino';
import type { BlockSink, BlockSource, Clock } from '../../drivers/block/types.ts';
import { Checkpointer } from './checkpoint.ts';
import { copyPhase } from './copy-pass.ts';
import type { Domain } from './domain.ts';
import { FINISH_PASS, FINISH_STATUS, finishPhase } from './finish-phase.ts';
import type { MapState } from './mapfile.ts';
import type { PhaseName, RescueOptions } from './options.ts';
import { progressOf } from './progress.ts';
import type { RescueProgress } from './progress.ts';
import type { ReadRecord, StopReason } from './rescue-io.ts';
import { RescueIO, StopRescue } from './rescue-io.ts';
import { retryPhase } from './retry-phase.ts';
import type { ProbeStore } from './probe-store.ts';
import { formatProbes } from './probe-store.ts';
import type { ProbedAreas } from './scrape-phase.ts';
import { scrapePhase } from './scrape-phase.ts';
import type { SectorMap } from './sector-map.ts';
import { trimPhase } from './trim-phase.ts';

export interface RescueJob {
  readonly source: BlockSource;
  readonly sink: BlockSink;
  readonly map: SectorMap;
  /** Where the mapfile said the last run stood; updated as the rescue goes. */
  readonly state: MapState;
  /** The state came from an existing mapfile: pick up inside the phase it names. */
  readonly resuming: boolean;
  readonly domain: Domain;
  readonly options: RescueOptions;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /**
   * Make the destination durable, then save `map`, a copy of the map taken before (so the map
   * never claims data still in flight, even though reads go on while the destination syncs).
   */
  readonly save: (state: MapState, map: SectorMap, reason: string) => Promise<void>;
  /** Where the smart scrape's findings are kept for a resume (probe-store.ts), saved before the map. */
  readonly probes?: ProbeStore;
  readonly onProgress?: (p: RescueProgress) => void;
  /** Wall-clock ms between progress reports. */
  readonly progressIntervalMs?: number;
  readonly onRead?: (r: ReadRecord) => void;
}

export type RescueOutcome =
  | { readonly kind: 'finished'; readonly progress: RescueProgress }
  | { readonly kind: 'stopped'; readonly reason: StopReason; readonly progress: RescueProgress };

export async function runRescue(job: RescueJob): Promise<RescueOutcome> {
  const io = new RescueIO(job);
  const log = job.log;
  // What the scrape phase's probes found, for the finish phase, including an interrupted run's.
  const probed: ProbedAreas = job.resuming && job.probes ? await job.probes.load(job.map, log) : [];
  // Reads go on while a save runs, so the map and the probe record are both copied here, at one
  // instant: a map formatted as it changed claimed reads the synced destination might not hold,
  // and a record made apart from its map misjudged, on resume, the areas probed in between.
  const save = async (state: MapState, reason: string): Promise<void> => {
    const map = job.map.clone();
    const record = job.probes && probed.length > 0 ? formatProbes(probed, map) : undefined;
    if (record !== undefined) await job.probes?.save(record);
    await job.save(state, map, reason);
  };
  const checkpoint = new Checkpointer(() => save({ ...job.state }, 'interval'), job.options.saveIntervalMs, log);
  const report = () => job.onProgress?.(progressOf(io));
  const ticker = job.onProgress ? setInterval(report, job.progressIntervalMs ?? 250) : undefined;
  ticker?.unref();
  const resume: MapState | undefined = job.resuming ? { ...job.state } : undefined;
  log.info({ resume, domainSize: job.domain.size, options: job.options }, 'rescue started');
  try {
    checkpoint.start();
    // A run stopped in the finish phase had finished every other: its retries are not run again.
    const inFinish = resume?.currentStatus === FINISH_STATUS && resume.currentPass === FINISH_PASS && probed.length > 0;
    for (const phase of inFinish ? [] : phasesToRun(job.options)) {
      await checkpoint.now(() => save({ ...job.state }, `before ${phase}`));
      log.info({ phase, ...io.totals }, 'phase started');
      await runPhase(phase, io, resume, probed);
    }
    if (probed.length > 0) {
      await checkpoint.now(() => save({ ...job.state }, 'before finish'));
      log.info({ phase: 'finish', ...io.totals }, 'phase started');
      await finishPhase(io, probed);
    }
    job.state.currentStatus = '+';
    job.state.currentPos = 0;
    job.state.currentPass = 1;
    await checkpoint.stop(() => save({ ...job.state }, 'finished'));
    log.info(summaryFields(io), 'rescue finished');
    return { kind: 'finished', progress: progressOf(io) };
  } catch (err) {
    await checkpoint.stop(() => save({ ...job.state }, 'stopped'));
    if (!(err instanceof StopRescue)) throw err;
    log.warn({ reason: err.reason, ...summaryFields(io) }, 'rescue stopped');
    return { kind: 'stopped', reason: err.reason, progress: progressOf(io) };
  } finally {
    if (ticker) clearInterval(ticker);
    report();
  }
}

function phasesToRun(options: RescueOptions): PhaseName[] {
  return options.phases.filter((p) => p !== 'retry' || options.retries > 0);
}

/**
 * Run a phase, picking up inside it when the mapfile says an earlier run stopped there. The
 * probing scrape ('sample') records in `probed` what it left, and the finish phase reads it last.
 */
async function runPhase(phase: PhaseName, io: RescueIO, resume: MapState | undefined, probed: ProbedAreas): Promise<void> {
  switch (phase) {
    case 'copy':
      return resume?.currentStatus === '?' && resume.currentPass >= 1 && resume.currentPass <= 3
        ? copyPhase(io, resume.currentPass, resume.currentPos)
        : copyPhase(io);
    case 'trim':
      return trimPhase(io);
    case 'scrape':
      return scrapePhase(io, probed);
    case 'retry':
      return retryPhase(io, resume?.currentStatus === '-' ? Math.max(1, resume.currentPass) : 1);
  }
}

function summaryFields(io: RescueIO) {
  return { reads: io.reads, readErrors: io.readErrors, timeouts: io.timeouts, ...io.totals };
}
