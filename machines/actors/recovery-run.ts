// A recovery (image file) or clone (target drive) run on the appliance: the same engine, mapfile
// and sink as `imagebox rescue`. Each run picks up from the mapfile the previous one saved.
import type { OpenedSource } from '../../controller/commands/rescue-source.ts';
import { exists, mapSaver, openJobMap } from '../../controller/jobs/rescue-mapfile.ts';
import { Domain } from '../../controller/rescue/domain.ts';
import { runRescue } from '../../controller/rescue/engine.ts';
import { openSink } from '../../drivers/block/linux.ts';
import type { ApplianceJobSettings } from './job-settings.ts';
import type { RunHooks, RunResult } from './run-hooks.ts';
import { rescueOptionsFor } from './run-hooks.ts';
import { probeStore } from '../../controller/rescue/probe-store.ts';

export async function recoveryRun(opened: OpenedSource, settings: ApplianceJobSettings, hooks: RunHooks): Promise<RunResult> {
  const { files, request } = settings;
  const source = hooks.wrap(opened.source);
  const job = await openJobMap(files.mapfile, source.size, source.sectorSize);
  hooks.onMap(job.map);
  const create = request.mode !== 'clone' && !(await exists(files.image));
  const sink = await openSink(files.image, { create, capacityCheck: source.size });
  try {
    const save = mapSaver(sink, files.mapfile, {
      commandLine: `imagebox panel: ${request.mode} of ${opened.info.path} to ${files.image}`,
      startTime: new Date(),
      tool: 'imagebox',
    });
    hooks.log.info({ image: files.image, mapfile: files.mapfile, resumed: job.existed }, 'run started');
    const outcome = await runRescue({
      source, sink, map: job.map, state: job.state, resuming: job.existed, domain: Domain.whole(source.size),
      options: rescueOptionsFor(request), clock: opened.clock, signal: hooks.signal, log: hooks.log,
      onProgress: hooks.onProgress, onRead: hooks.onRead, save, probes: probeStore(files.mapfile),
    });
    if (outcome.kind === 'stopped') return { kind: 'stopped' };
    const unreadBytes = source.size - job.map.bytes('+');
    return { kind: 'finished', summary: { bytesTotal: source.size, unreadBytes, imagePaths: [files.image], hashes: {} } };
  } finally {
    await sink.close().catch(() => {});
  }
}
