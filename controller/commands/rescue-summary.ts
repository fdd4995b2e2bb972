// The last word of a rescue: what it ended as, in numbers, and the exit code that says so.
import type { Writable } from 'node:stream';
import type { BlockSource } from '../../drivers/block/types.ts';
import { EXIT } from '../exit-codes.ts';
import type { RescueOutcome } from '../rescue/engine.ts';
import type { RescueProgress } from '../rescue/progress.ts';
import { formatBytes, formatDuration } from '../units.ts';
import type { RescueSettings } from './rescue-args.ts';

export interface RescueSummary {
  readonly result: 'finished' | 'stopped' | 'failed';
  readonly reason?: string;
  readonly exitCode: number;
  readonly source: string;
  readonly dest: string;
  readonly mapfile: string;
  readonly size: number;
  readonly sectorSize: number;
  readonly progress?: RescueProgress;
  /** Bytes of the domain not rescued: bad sectors and whatever was left untried. */
  readonly unrescued?: number;
}

export function summaryOf(s: RescueSettings, source: BlockSource, outcome: RescueOutcome | Error): RescueSummary {
  const base = { source: s.source, dest: s.dest, mapfile: s.mapfile, size: source.size, sectorSize: source.sectorSize };
  if (outcome instanceof Error) return { ...base, result: 'failed', reason: outcome.message, exitCode: EXIT.failed };
  const p = outcome.progress;
  const unrescued = p.domainSize - p.rescued;
  if (outcome.kind === 'stopped') return { ...base, result: 'stopped', reason: outcome.reason, exitCode: EXIT.interrupted, progress: p, unrescued };
  return { ...base, result: 'finished', exitCode: unrescued === 0 ? EXIT.ok : EXIT.unreadSectors, progress: p, unrescued };
}

export function printSummary(out: Writable, sum: RescueSummary): void {
  const p = sum.progress;
  if (!p) {
    out.write(`Failed: ${sum.reason}\n`);
    return;
  }
  const pct = p.domainSize ? ((p.rescued * 100) / p.domainSize).toFixed(4) : '100';
  const head =
    sum.result === 'finished'
      ? sum.unrescued === 0 ? 'Finished: every sector rescued.' : 'Finished, with sectors not rescued.'
      : `Stopped (${sum.reason}); run the same command again to resume.`;
  out.write(
    `${head}\n` +
      `  rescued ${formatBytes(p.rescued)} of ${formatBytes(p.domainSize)} (${pct}%)\n` +
      `  bad-sector ${formatBytes(p.badSector)} in ${p.badAreas} areas; non-tried ${formatBytes(p.nonTried)}, ` +
      `non-trimmed ${formatBytes(p.nonTrimmed)}, non-scraped ${formatBytes(p.nonScraped)}\n` +
      `  ${p.reads} reads, ${p.readErrors} read errors, ${p.timeouts} timeouts, run time ${formatDuration(p.runTimeMs)}\n` +
      (p.nonTrimmed + p.nonScraped + p.nonTried > 0
        ? `  left unread on purpose or by the limits: ${formatBytes(p.nonTried + p.nonTrimmed + p.nonScraped)} (non-tried, non-trimmed, non-scraped above)\n`
        : ''),
  );
}
