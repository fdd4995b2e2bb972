// One forensic acquisition, top to bottom: read the source with the rescue engine (so a failing
// drive gets the same care as `imagebox rescue`), stream the image into its container and the
// hashers as it is read, finish the image from the working file if the stream broke, then write
// the acquisition record. Plain async code: the command runs it through the job machine.

import fs from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import type { Logger } from 'pino';
import { openSink } from '../../drivers/block/linux.ts';
import type { BlockSource, Clock } from '../../drivers/block/types.ts';
import type { Algo } from '../evidence/algorithms.ts';
import { MultiHasher } from '../evidence/hasher.ts';
import { feedFile } from '../evidence/rehash.ts';
import { createRecord } from '../evidence/record.ts';
import type { AcquisitionRecord, CaseInfo, SourceInfo, Verification } from '../evidence/record-schema.ts';
import { unreadFromMap } from '../evidence/unread.ts';
import { writeRecord } from '../evidence/write-record.ts';
import type { E01Metadata } from '../formats/e01/e01-types.ts';
import { exists, openJobMap } from '../jobs/rescue-mapfile.ts';
import { Domain } from '../rescue/domain.ts';
import { runRescue } from '../rescue/engine.ts';
import { probeStore } from '../rescue/probe-store.ts';
import { saveMapfile } from '../rescue/mapfile-save.ts';
import type { MapState } from '../rescue/mapfile.ts';
import type { RescueOptions } from '../rescue/options.ts';
import type { RescueProgress } from '../rescue/progress.ts';
import type { ReadRecord, StopReason } from '../rescue/rescue-io.ts';
import type { SectorMap } from '../rescue/sector-map.ts';
import { openContainer, type Compression, type Container } from './container.ts';
import { FileHashes } from './file-hashes.ts';
import type { ImageNames } from './image-format.ts';
import { containerFilesPresent, parseStreamNote, removePartialContainer, resumeRefusal, streamNote } from './partial-image.ts';
import { StreamSink } from './stream-sink.ts';

export interface AcquireJob {
  readonly source: BlockSource;
  readonly clock: Clock;
  readonly sourceInfo: SourceInfo;
  readonly names: ImageNames;
  readonly options: RescueOptions;
  readonly algos: readonly Algo[];
  /** Piecewise hash window in bytes; none when absent. */
  readonly hashWindow?: number;
  readonly compression: Compression;
  readonly segmentSize: number;
  readonly caseInfo: CaseInfo;
  readonly commandLine: string;
  readonly settings: AcquisitionRecord['settings'];
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly onProgress?: (p: RescueProgress) => void;
  /** Each read as it happens (the read log, a hang detector); never one log line per read. */
  readonly onRead?: (r: ReadRecord) => void;
  /** The job's sector map once loaded, for a live picture of it. */
  readonly onMap?: (map: SectorMap) => void;
  /** Read the image back and compare hashes before writing the record. */
  readonly verify?: (files: readonly string[], hashes: Partial<Record<Algo, string>>) => Promise<Verification>;
}

export type AcquireResult =
  | { readonly kind: 'finished'; readonly record: AcquisitionRecord; readonly recordFiles: string[]; readonly progress: RescueProgress; readonly note?: string }
  | { readonly kind: 'stopped'; readonly reason: StopReason; readonly progress: RescueProgress };


export async function acquire(job: AcquireJob): Promise<AcquireResult> {
  const { names, source, log } = job;
  const start = new Date();
  const jobMap = await openJobMap(names.mapfile, source.size, source.sectorSize);
  if (!jobMap.existed && (await exists(names.work))) {
    throw new Error(`${names.work} exists without its mapfile ${names.mapfile}; move it away or choose a new OUTPUT`);
  }
  const probes = probeStore(names.mapfile);
  // The probe record names the map as it was saved: it is read before a resume marks the streamed
  // part to be read again, or it would match no map and every probed area would be probed again.
  const probed = jobMap.existed ? await probes.load(jobMap.map, log) : [];
  const resumed = jobMap.existed ? await prepareResume(job, jobMap.map, jobMap.state) : false;
  job.onMap?.(jobMap.map);
  // Each file gets MD5 and SHA-256, what md5sum -c and sha256sum -c check; any third algorithm would
  // cost CPU for no list a user runs (SHA-1 of E01's segments was 4% of an acquisition's CPU).
  // A single raw file is the image itself: of its hashes, only those the image lacks are taken.
  const fileAlgos = FILE_ALGOS.filter((a) => names.format !== 'raw' || !job.algos.includes(a));
  const tap = fileAlgos.length ? new FileHashes(fileAlgos) : undefined;
  const container = await openContainer({
    names, mediaSize: source.size, sectorSize: source.sectorSize, compression: job.compression,
    segmentSize: job.segmentSize, metadata: e01Metadata(job), tap,
  });
  const hasher = await MultiHasher.create({ algos: job.algos, window: job.hashWindow });
  // Every image byte goes to the hashers and the container together, in order.
  const intoImage = async (d: Uint8Array): Promise<void> => {
    await Promise.all([hasher.update(d), container.write(Buffer.from(d.buffer, d.byteOffset, d.byteLength))]);
  };
  const sink = new StreamSink({
    path: names.first,
    target: { write: intoImage },
    openWork: () => openSink(names.work, { create: true }),
  });
  // `map` is the engine's copy from before the sync. The stream note is read later, so it is at
  // least as far as the copy's: a resume re-reads a little more, never less, of the streamed part.
  const save = async (state: MapState, map: SectorMap): Promise<void> => {
    await sink.sync();
    await saveMapfile(names.mapfile, map, state, {
      commandLine: job.commandLine, startTime: start, tool: 'imagebox',
      notes: () => [streamNote(names.format, sink.streamedTo)],
    });
  };
  let closed = false;
  try {
    log.info({ source: source.path, image: names.first, format: names.format, size: source.size, resumed }, 'acquisition started');
    const outcome = await runRescue({
      source, sink, map: jobMap.map, state: jobMap.state, resuming: jobMap.existed, domain: Domain.whole(source.size),
      options: job.options, clock: job.clock, signal: job.signal, log: log.child({ component: 'rescue' }), save,
      probes: { load: async () => probed, save: probes.save },
      onProgress: job.onProgress, onRead: job.onRead,
    });
    if (outcome.kind === 'stopped') return { kind: 'stopped', reason: outcome.reason, progress: outcome.progress };
    await sink.drain();
    if (sink.streamedTo < source.size) {
      log.info({ from: sink.streamedTo, work: names.work }, 'finishing the image from the working file');
      try {
        await feedFile({ update: intoImage }, names.work, sink.streamedTo, source.size, job.signal);
      } catch (err) {
        if (!job.signal.aborted) throw err;
        return { kind: 'stopped', reason: 'interrupted', progress: outcome.progress };
      }
    }
    const { digests, pieces } = await hasher.finish();
    const unread = unreadFromMap(jobMap.map, source.sectorSize);
    const closedAs = await container.close({
      md5: digests.md5, sha1: digests.sha1,
      unread: unread.ranges.map((r) => ({ firstSector: r.firstSector, sectorCount: r.sectorCount })),
    });
    closed = true;
    await sink.close();
    await fs.rm(names.work, { force: true });
    const segments = await segmentHashes(closedAs.files, names, names.format === 'raw' ? digests : {}, tap);
    const verification = job.verify ? await job.verify(closedAs.files, digests) : undefined;
    const record = createRecord({
      case: job.caseInfo, source: job.sourceInfo,
      imaged: { sizeBytes: source.size, sectorSize: source.sectorSize },
      settings: job.settings,
      output: { format: names.format, segments },
      start, end: new Date(),
      hashes: digests,
      piecewise: pieces && job.hashWindow ? { windowBytes: job.hashWindow, pieces } : undefined,
      unread,
      verification: verification ?? { result: 'not-run', method: 'not requested (run imagebox verify)' },
    });
    const recordFiles = await writeRecord(dirname(names.base), basename(names.base), record);
    log.info({ hashes: digests, unreadSectors: unread.sectorCount, files: closedAs.files, record: recordFiles }, 'acquisition finished');
    return { kind: 'finished', record, recordFiles, progress: outcome.progress, note: closedAs.note };
  } finally {
    await tap?.close();
    if (!closed) {
      await container.abandon();
      await hasher.close().catch(() => undefined);
      await sink.close().catch(() => undefined);
    }
  }
}

/**
 * A mapfile is there: this is a resume, unless the image was finished (its record exists) or the
 * mapfile is not an image job's. The part that had been streamed into the unfinished container is
 * marked non-tried again, to be re-read; what was read out of order is still in the working file.
 */
async function prepareResume(job: AcquireJob, map: SectorMap, state: MapState): Promise<boolean> {
  const { names, log } = job;
  const refusal = await resumeRefusal(names);
  if (refusal) throw new Error(refusal);
  const mark = parseStreamNote(await fs.readFile(names.mapfile, 'utf8'))!;
  if (mark.streamedTo > 0) {
    map.set(0, Math.min(mark.streamedTo, map.size), '?');
    // Forward from the start, so those bytes stream into the new container again.
    Object.assign(state, { currentPos: 0, currentStatus: '?', currentPass: 1 });
  }
  const partial = await containerFilesPresent(names);
  await removePartialContainer(partial);
  log.warn({ removed: partial.map((f) => relative(dirname(names.base), f)), reread: mark.streamedTo }, 'resuming: unfinished container removed, its bytes will be read again');
  return true;
}

function e01Metadata(job: AcquireJob): E01Metadata {
  const c = job.caseInfo;
  return {
    caseNumber: c.caseNumber, evidenceNumber: c.evidenceNumber, examiner: c.examiner, description: c.description, notes: c.notes,
    acquiredAt: new Date(), systemDate: new Date(), acquisitionSoftware: 'imagebox',
    model: job.sourceInfo.identity?.model, serial: job.sourceInfo.identity?.serial,
  };
}

/** The hashes every file of an image gets, for md5sum -c and sha256sum -c. */
const FILE_ALGOS: readonly Algo[] = ['md5', 'sha256'];

/**
 * Each file's own hashes, relative to the record: what the tap took as it was written, with
 * `known` (the image's own hashes, for a single raw file) added.
 */
async function segmentHashes(files: readonly string[], names: ImageNames, known: Partial<Record<Algo, string>>, tap: FileHashes | undefined) {
  const out = [];
  for (const file of files) {
    const size = (await fs.stat(file)).size;
    const own = { ...known, ...tap?.of(file) };
    const missing = FILE_ALGOS.filter((a) => !own[a]);
    if (missing.length) throw new Error(`${file}: written without its ${missing.join(', ')} being taken`);
    out.push({ file: relative(dirname(names.base), file), sizeBytes: size, hashes: own });
  }
  return out;
}

