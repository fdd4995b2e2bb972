// What an appliance run reports while it reads, and how it is told to stop; and the rescue
// options a job's request asks for.
import type { Logger } from '../../controller/logger.ts';
import { DEFAULT_OPTIONS, strategyOptions, type RescueOptions } from '../../controller/rescue/options.ts';
import type { RescueProgress } from '../../controller/rescue/progress.ts';
import type { ReadRecord } from '../../controller/rescue/rescue-io.ts';
import type { SectorMap } from '../../controller/rescue/sector-map.ts';
import type { BlockSource } from '../../drivers/block/types.ts';
import type { JobRequest } from '../../ui-tty/job-request.ts';
import type { AcquireSummary } from '../appliance-job.types.ts';

export interface RunHooks {
  readonly signal: AbortSignal;
  readonly log: Logger;
  onProgress(p: RescueProgress): void;
  onMap(map: SectorMap): void;
  onRead(r: ReadRecord): void;
  /** Wraps the source (the gone-drive check). */
  wrap(source: BlockSource): BlockSource;
}

export type RunResult = { readonly kind: 'finished'; readonly summary: AcquireSummary } | { readonly kind: 'stopped' };

export function rescueOptionsFor(request: JobRequest): RescueOptions {
  const r = request.recovery;
  return {
    ...DEFAULT_OPTIONS,
    ...strategyOptions(r.strategy),
    retries: r.retries,
    scrape: r.scrape,
    readTimeoutMs: r.readTimeoutSec * 1000,
    // The appliance saves more often than the CLI: a pulled drive or a power cut costs less.
    saveIntervalMs: 2_000,
  };
}
