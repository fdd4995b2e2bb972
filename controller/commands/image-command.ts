// `imagebox image SOURCE OUTPUT`: checks everything, then runs one acquisition through the job
// machine, with the live status, and prints where the image and its record are.
import { acquire, type AcquireResult } from '../acquire/acquire.ts';
import { imageNames } from '../acquire/image-format.ts';
import { imageHashSentence, completeness } from '../evidence/wording.ts';
import type { SourceInfo } from '../evidence/record-schema.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { loadConfig } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { imageOutputRefusal } from '../acquire/image-output-check.ts';
import { parseImageArgs, READ_SIZE, RUNWAY_SIZE, type ImageSettings } from './image-args.ts';
import { describeSource, requireWriteBlock } from './image-source-info.ts';
import { openRescueSource } from './rescue-source.ts';
import type { CommandIO } from './rescue-command.ts';
import { runJobMachine } from './run-job.ts';
import { sendRecord } from './send-record.ts';
import { StatusPrinter } from './status-printer.ts';
import { verifyAfterWrite } from './verify-command.ts';

export async function imageCommand(argv: string[], io: CommandIO): Promise<number> {
  const s = parseImageArgs(argv);
  // A bad configuration is refused before anything is read, not found out after hours of imaging.
  const config = (() => {
    try {
      return loadConfig();
    } catch (err) {
      throw new UserError((err as Error).message);
    }
  })();
  const names = imageNames(s.output, s.format);
  const opened = await openRescueSource(s.source, s.sectorSize, s.emuSpeed, { buffered: true, tune: true });
  const { source } = opened;
  let log: Logger | undefined;
  try {
    log = createLogger({ file: names.log }).child({ component: 'image', job: names.base });
    const refuse = (reason: string): never => {
      log?.error({ source: s.source, output: s.output, reason }, 'refused');
      throw new UserError(reason);
    };
    const refusal = await imageOutputRefusal(names, opened.info);
    if (refusal) refuse(refusal);
    const facts = { path: s.source, info: opened.info, emulated: opened.emulated, size: source.size, sectorSize: source.sectorSize };
    const described = await describeSource(facts, log);
    const wb = described.info.writeBlock;
    for (const note of described.notes) log.info({ note }, 'preflight note');
    try {
      requireWriteBlock(facts, wb, s.allowUnblocked);
    } catch (err) {
      refuse((err as Error).message);
    }
    if (wb?.state !== 'hardware' && wb?.state !== 'software' && opened.info.kind === 'block') log.warn({ source: s.source }, 'imaging a device that is not write-blocked (--allow-unblocked)');
    const result = await runAcquisition(s, io, log, names, opened, described.info);
    const code = report(s, io, result);
    if (!(result instanceof Error) && result.kind === 'finished') {
      const said = await sendRecord(config, result.recordFiles[0], log);
      if (said) io.stderr.write(`${said}\n`);
    }
    return code;
  } finally {
    await source.close().catch(() => {});
    log?.flush();
  }
}

async function runAcquisition(
  s: ImageSettings, io: CommandIO, log: Logger, names: ReturnType<typeof imageNames>,
  opened: Awaited<ReturnType<typeof openRescueSource>>, sourceInfo: SourceInfo,
): Promise<AcquireResult | Error> {
  const printer = s.quiet ? undefined : new StatusPrinter(s.json ? io.stderr : io.stdout, false);
  const sectors = (bytes: number): number => Math.max(1, bytes / opened.source.sectorSize);
  const options = { ...s.options, clusterSectors: sectors(READ_SIZE), runwaySectors: sectors(RUNWAY_SIZE) };
  let result: AcquireResult | undefined;
  const outcome = await runJobMachine(
    async (signal, onProgress) => {
      result = await acquire({
        source: opened.source, clock: opened.clock, sourceInfo, names, options, algos: s.algos, hashWindow: s.hashWindow,
        compression: s.compression, segmentSize: s.segmentSize, caseInfo: s.caseInfo,
        commandLine: `imagebox image ${process.argv.slice(3).join(' ')}`,
        settings: {
          format: s.format, hashes: s.algos.join(','), compression: s.compression, segmentSize: s.segmentSize,
          hashWindow: s.hashWindow ?? null, strategy: options.strategy, retries: options.retries,
          readTimeoutMs: options.readTimeoutMs, clusterBytes: options.clusterSectors * opened.source.sectorSize,
        },
        log, signal, onProgress,
        verify: s.verify ? (files, hashes) => verifyAfterWrite(names.first, s.format, hashes, signal) : undefined,
      });
      // The job machine knows rescue outcomes; an acquisition's is the same shape plus the record.
      return result.kind === 'finished'
        ? { kind: 'finished', progress: result.progress }
        : { kind: 'stopped', reason: result.reason, progress: result.progress };
    },
    printer, log, 'acquisition',
  );
  if (outcome instanceof Error) return outcome;
  return result ?? new Error('acquisition failed');
}

function report(s: ImageSettings, io: CommandIO, r: AcquireResult | Error): number {
  if (r instanceof Error) {
    io.stderr.write(`imagebox: acquisition failed: ${r.message}\n`);
    return EXIT.failed;
  }
  if (r.kind === 'stopped') {
    if (s.json) io.stdout.write(`${JSON.stringify({ result: 'stopped', reason: r.reason }, null, 2)}\n`);
    else io.stdout.write(`Stopped (${r.reason}); run the same command again to resume.\n`);
    return EXIT.interrupted;
  }
  const rec = r.record;
  const code = rec.unread.sectorCount === 0 ? EXIT.ok : EXIT.unreadSectors;
  if (s.json) {
    io.stdout.write(`${JSON.stringify({ result: 'finished', exitCode: code, record: r.recordFiles[0], files: rec.output.segments.map((x) => x.file), hashes: rec.hashes, unread: { sectors: rec.unread.sectorCount, ranges: rec.unread.ranges.length }, verification: rec.verification?.result }, null, 2)}\n`);
    return code;
  }
  const lines = [
    `Image: ${rec.output.segments.map((x) => x.file).join(', ')} (${rec.output.format})`,
    completeness(rec),
    ...rec.hashes.map((h) => `  ${imageHashSentence(rec, h)}`),
    `Verification: ${rec.verification?.result ?? 'not run'}`,
    `Record: ${r.recordFiles.join(', ')}`,
    ...(r.note ? [`Note: ${r.note}`] : []),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return code;
}
