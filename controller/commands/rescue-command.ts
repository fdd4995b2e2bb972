// `imagebox rescue SOURCE DEST MAPFILE`: checks everything, then runs the job machine once.
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { describePath } from '../../drivers/block/device-info.ts';
import { openSink } from '../../drivers/block/linux.ts';
import type { BlockSink } from '../../drivers/block/types.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { exists, mapSaver, openJobMap } from '../jobs/rescue-mapfile.ts';
import type { Logger } from '../logger.ts';
import { createLogger } from '../logger.ts';
import { checkDestination, checkMapfile } from '../rescue/destination-check.ts';
import type { RescueOutcome } from '../rescue/engine.ts';
import { runRescue } from '../rescue/engine.ts';
import { MapfileError } from '../rescue/mapfile.ts';
import { probeStore } from '../rescue/probe-store.ts';
import { buildDomain } from './rescue-domain.ts';
import type { RescueSettings } from './rescue-args.ts';
import { parseRescueArgs } from './rescue-args.ts';
import { openRescueSource } from './rescue-source.ts';
import { StatusPrinter } from './status-printer.ts';
import { printSummary, summaryOf } from './rescue-summary.ts';
import { runJobMachine } from './run-job.ts';

export interface CommandIO {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
}

export async function rescueCommand(argv: string[], io: CommandIO): Promise<number> {
  const s = parseRescueArgs(argv);
  const opened = await openRescueSource(s.source, s.sectorSize, s.emuSpeed, { tune: true });
  const { source } = opened;
  let log: Logger | undefined;
  let sink: BlockSink | undefined;
  try {
    const [destInfo, mapInfo] = await Promise.all([describePath(s.dest), describePath(s.mapfile)]);
    const mapCheck = checkMapfile({ source: opened.info, dest: destInfo, mapfile: mapInfo });
    if (!mapCheck.ok) throw new UserError(mapCheck.reason);
    log = createLogger({ file: s.log ?? `${s.mapfile}.log` }).child({ component: 'rescue', job: basename(s.mapfile) });
    const refuse = (reason: string): never => {
      log?.error({ source: s.source, dest: s.dest, mapfile: s.mapfile, reason }, 'refused');
      throw new UserError(reason);
    };
    const destCheck = checkDestination({ source: opened.info, dest: destInfo, mapfileExists: await exists(s.mapfile), force: s.force });
    if (!destCheck.ok) refuse(destCheck.reason);
    if (!source.direct) {
      log.warn({ source: s.source }, 'source does not take O_DIRECT; reading through the page cache, so a bad sector fails its whole page');
      io.stderr.write(`imagebox: warning: ${s.source} does not take O_DIRECT; bad areas will be reported a page at a time\n`);
    }
    const job = await openJobMap(s.mapfile, source.size, source.sectorSize).catch((err: unknown) =>
      err instanceof MapfileError ? refuse(err.message) : Promise.reject(err),
    );
    const domain = await buildDomain(s, source.size, source.sectorSize).catch((err: unknown) =>
      err instanceof MapfileError || err instanceof UserError ? refuse((err as Error).message) : Promise.reject(err),
    );
    sink = await openSink(s.dest, { create: destInfo.kind === 'missing', capacityCheck: source.size }).catch((err: unknown) =>
      refuse(`destination ${s.dest}: ${(err as Error).message}`),
    );
    log.info({ source: s.source, dest: s.dest, mapfile: s.mapfile, size: source.size, sectorSize: source.sectorSize, direct: source.direct, resumed: job.existed, state: job.state }, 'job opened');
    const outcome = await runJob(s, io, log, { ...job, domain, sink, opened });
    const summary = summaryOf(s, source, outcome);
    if (s.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!s.quiet) printSummary(io.stdout, summary);
    return summary.exitCode;
  } finally {
    await sink?.close().catch(() => {});
    await source.close().catch(() => {});
    log?.flush();
  }
}

type Prepared = Awaited<ReturnType<typeof openJobMap>> & {
  readonly domain: Awaited<ReturnType<typeof buildDomain>>;
  readonly sink: BlockSink;
  readonly opened: Awaited<ReturnType<typeof openRescueSource>>;
};

/** Runs the job machine to its end, with the live status and the signals wired in. */
async function runJob(s: RescueSettings, io: CommandIO, log: Logger, p: Prepared): Promise<RescueOutcome | Error> {
  const statusOut = s.json ? io.stderr : io.stdout;
  const printer = s.quiet ? undefined : new StatusPrinter(statusOut, s.options.reverse);
  const readLog = s.readLog ? createWriteStream(s.readLog, { flags: 'a' }) : undefined;
  const save = mapSaver(p.sink, s.mapfile, {
    commandLine: `imagebox rescue ${process.argv.slice(3).join(' ')}`,
    startTime: new Date(),
    tool: 'imagebox',
  });
  try {
    return await runJobMachine(
      (signal, onProgress) =>
        runRescue({
          source: p.opened.source, sink: p.sink, map: p.map, state: p.state, resuming: p.existed, domain: p.domain,
          options: s.options, clock: p.opened.clock, signal, log, onProgress,
          save, probes: probeStore(s.mapfile),
          onRead: readLog ? (r) => readLog.write(`${JSON.stringify(r)}\n`) : undefined,
        }),
      printer, log, 'rescue',
    );
  } finally {
    await new Promise<void>((resolve) => (readLog ? readLog.end(resolve) : resolve()));
  }
}

export { EXIT };
