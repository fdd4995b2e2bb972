// A forensic run on the appliance: `imagebox image`'s acquisition (container, hashes, record) with
// the port's preflight facts as the record's source. A resumed run re-reads what the unfinished
// container held and keeps what was read out of order (controller/acquire/acquire.ts).
import { dirname, join } from 'node:path';
import { acquire } from '../../controller/acquire/acquire.ts';
import { READ_SIZE } from '../../controller/commands/image-args.ts';
import type { OpenedSource } from '../../controller/commands/rescue-source.ts';
import { DEFAULT_SEGMENT_SIZE } from '../../controller/formats/e01/e01-writer.ts';
import { factsToSourceInfo } from '../../controller/preflight/facts-source-info.ts';
import type { DriveFacts } from '../../controller/preflight/drive-facts-types.ts';
import type { ApplianceJobSettings } from './job-settings.ts';
import type { RunHooks, RunResult } from './run-hooks.ts';
import { rescueOptionsFor } from './run-hooks.ts';

export async function forensicRun(opened: OpenedSource, settings: ApplianceJobSettings, facts: DriveFacts | undefined, hooks: RunHooks): Promise<RunResult> {
  const { files, request } = settings;
  const f = request.forensic;
  if (!f || !files.forensic) throw new Error('a forensic job needs its format and hashes');
  if (!facts) throw new Error('the port has no preflight facts for the record');
  const source = hooks.wrap(opened.source);
  const options = { ...rescueOptionsFor(request), clusterSectors: Math.max(1, READ_SIZE / source.sectorSize) };
  const c = f.case;
  const result = await acquire({
    source, clock: opened.clock, sourceInfo: factsToSourceInfo(facts), names: files.forensic, options, algos: f.hashes,
    compression: 'fast', segmentSize: DEFAULT_SEGMENT_SIZE,
    caseInfo: { caseNumber: c.caseNumber, evidenceNumber: c.evidenceNumber, examiner: c.examiner, notes: c.notes },
    commandLine: `imagebox panel: forensic ${f.format} of ${opened.info.path} to ${files.image}`,
    settings: {
      format: f.format, hashes: f.hashes.join(','), compression: 'fast', segmentSize: DEFAULT_SEGMENT_SIZE, hashWindow: null,
      strategy: options.strategy, retries: options.retries, readTimeoutMs: options.readTimeoutMs,
      clusterBytes: options.clusterSectors * source.sectorSize,
    },
    log: hooks.log, signal: hooks.signal, onProgress: hooks.onProgress, onRead: hooks.onRead, onMap: hooks.onMap,
  });
  if (result.kind === 'stopped') return { kind: 'stopped' };
  const rec = result.record;
  const hashes = Object.fromEntries(rec.hashes.map((h) => [h.algorithm, h.hex]));
  return {
    kind: 'finished',
    summary: {
      bytesTotal: rec.imaged.sizeBytes,
      unreadBytes: rec.unread.sectorCount * rec.imaged.sectorSize,
      // The record names segments relative to its folder; the job needs them where they are.
      imagePaths: [...rec.output.segments.map((s) => join(dirname(files.forensic!.base), s.file)), ...result.recordFiles],
      hashes,
    },
  };
}
