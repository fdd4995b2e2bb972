// The job machine's 'acquire' actor: one run of the engine, from the mapfile the last run saved.
// Stopping the actor stops the run, which saves its mapfile; the next run waits for that save.
// It tells the machine what only the reads can show: a hang (after the engine's own reopen and
// retry), a destination without room, the end. A drive that left the bus stops the run quietly:
// discovery tells the machine, which pauses the job until the same drive is back.
import { dirname } from 'node:path';
import { fromCallback } from 'xstate';
import { exists } from '../../controller/jobs/rescue-mapfile.ts';
import { loadMapfile } from '../../controller/rescue/mapfile-save.ts';
import type { RescueProgress } from '../../controller/rescue/progress.ts';
import type { SectorMap } from '../../controller/rescue/sector-map.ts';
import { phaseText } from '../../controller/rescue/status-text.ts';
import type { EngineEvent, JobActorInput } from '../appliance-job.types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import { mapRuns, type JobTrace } from './appliance-store.ts';
import { forensicRun } from './forensic-run.ts';
import { goneAwareSource } from './gone-aware-source.ts';
import type { ApplianceJobSettings } from './job-settings.ts';
import { recoveryRun } from './recovery-run.ts';
import type { RunHooks } from './run-hooks.ts';

const MAP_REFRESH_MS = 200;

export function acquireActor(env: ApplianceEnv) {
  return fromCallback<EngineEvent, JobActorInput>(({ input, sendBack }) => {
    const stop = new AbortController();
    const settings = input.settings as ApplianceJobSettings;
    const trace = env.store.trace(input.jobId, settings);
    const log = env.log.child({ component: 'acquire', job: input.jobId, port: input.port });
    const tell = (e: EngineEvent): void => {
      if (!stop.signal.aborted) sendBack(e);
    };
    const previous = trace.lastRun ?? Promise.resolve();
    const run = env.store.track(previous.then(() => runOnce(env, input, trace, stop.signal, tell, log)));
    trace.lastRun = run.catch(() => {});
    return () => stop.abort();
  });
}

async function runOnce(
  env: ApplianceEnv, input: JobActorInput, trace: JobTrace, signal: AbortSignal, tell: (e: EngineEvent) => void,
  log: RunHooks['log'],
): Promise<void> {
  if (signal.aborted) return;
  // A run can finish (its image closed, its record written) while the machine is stopping it:
  // the next run then has nothing to read, and says so.
  if (trace.finished) {
    tell({ type: 'ENGINE.DONE', summary: trace.finished });
    return;
  }
  const settings = input.settings as ApplianceJobSettings;
  trace.earlierErrors += trace.progress?.readErrors ?? 0;
  trace.progress = undefined;
  let opened;
  try {
    opened = await env.openSource(input.source.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    log.warn({ err, code }, 'source could not be opened');
    // A drive that is gone is discovery's to report; anything else ends the job.
    if (code !== 'ENXIO' && code !== 'ENODEV' && code !== 'ENOENT') tell({ type: 'ENGINE.FAILED', error: (err as Error).message, code });
    return;
  }
  let map: SectorMap | undefined;
  let mapAt = 0;
  let mapCost = 0;
  let hung = false;
  try {
    const size = opened.source.size;
    const needed = settings.request.mode === 'clone' ? 0 : await bytesStillNeeded(settings, size);
    const free = needed > 0 ? await env.freeBytes(dirname(settings.files.image)) : Infinity;
    if (free < needed) {
      log.warn({ needed, free }, 'destination full before the run');
      tell({ type: 'DEST.FULL', bytesNeeded: needed });
      return;
    }
    trace.running = true;
    const hooks: RunHooks = {
      signal, log,
      onMap: (m) => {
        map = m;
        trace.map = mapRuns(m);
      },
      onProgress: (p) => {
        trace.progress = p;
        const now = Date.now();
        // A map of a million areas takes tens of ms to walk: never spend more than 5% of the time on it.
        if (map && now - mapAt >= Math.max(MAP_REFRESH_MS, 20 * mapCost)) {
          trace.map = mapRuns(map);
          mapAt = Date.now();
          mapCost = mapAt - now;
        }
        tell({ type: 'PROGRESS', progress: engineProgress(p) });
      },
      onRead: (r) => {
        if (r.ok || r.code !== 'ETIMEDOUT' || hung) return;
        hung = true;
        log.warn({ pos: r.pos, len: r.len, ms: r.ms }, 'read hung after a reopen and a retry');
        tell({ type: 'ENGINE.HANG', detail: `read at byte ${r.pos} gave no answer after a reopen and a retry` });
      },
      wrap: (source) => goneAwareSource(source, (code) => log.warn({ code }, 'the drive left the bus; run stopped before marking the read')),
    };
    const result = settings.request.mode === 'forensic'
      ? await forensicRun(opened, settings, env.store.facts.get(input.port), hooks)
      : await recoveryRun(opened, settings, hooks);
    if (map) trace.map = mapRuns(map);
    if (result.kind === 'finished') {
      trace.finished = result.summary;
      log.info({ unreadBytes: result.summary.unreadBytes }, 'run finished');
      tell({ type: 'ENGINE.DONE', summary: result.summary });
    } else {
      log.info('run stopped; mapfile saved');
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    log.error({ err, code }, 'run failed');
    if (code === 'ENOSPC') {
      const bytesNeeded = await bytesStillNeeded(settings, opened.source.size).catch(() => opened.source.size);
      tell({ type: 'ENGINE.FAILED', error: (err as Error).message, code, bytesNeeded });
    } else {
      tell({ type: 'ENGINE.FAILED', error: (err as Error).message, code });
    }
  } finally {
    trace.running = false;
    await opened.source.close().catch(() => {});
  }
}

/** Bytes the image still needs: a sparse recovery image grows by what is still to rescue; a forensic container by up to the whole drive. */
async function bytesStillNeeded(s: ApplianceJobSettings, size: number): Promise<number> {
  if (s.files.forensic || !(await exists(s.files.mapfile))) return size;
  const { map } = await loadMapfile(s.files.mapfile, size);
  return size - map.bytes('+');
}

function engineProgress(p: RescueProgress) {
  return {
    phase: phaseText(p),
    bytesDone: p.rescued,
    bytesTotal: p.domainSize,
    unreadBytes: p.nonTried + p.nonTrimmed + p.nonScraped + p.badSector,
    bytesPerSecond: p.averageRate,
  };
}
