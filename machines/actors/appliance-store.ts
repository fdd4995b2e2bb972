// What the panel shows beside the machines' snapshots: drive facts, live sector maps and reports.
// They are large or change on every read, so they live here and never in a machine's context; the
// actors write, the panel's selectors read, four times a second.
import type { RescueProgress } from '../../controller/rescue/progress.ts';
import type { SectorMap } from '../../controller/rescue/sector-map.ts';
import type { DriveFacts } from '../../controller/preflight/drive-facts-types.ts';
import type { AcquireSummary } from '../appliance-job.types.ts';
import type { ApplianceJobSettings } from './job-settings.ts';

/** GNU ddrescue's statuses, in the order of the map. */
export interface MapRun {
  readonly status: '?' | '*' | '/' | '-' | '+';
  readonly bytes: number;
}

export interface JobTrace {
  readonly settings: ApplianceJobSettings;
  readonly startedAt: Date;
  /** The engine's latest figures, from the run going now or the last one. */
  progress?: RescueProgress;
  /** The map as runs, at most a few hundred (neighbours merged); refreshed with each progress report. */
  map?: readonly MapRun[];
  /** Failed reads in runs before this one (a pause or a drive pulled starts a new run). */
  earlierErrors: number;
  /** A run is reading now. */
  running: boolean;
  /** The latest run, until it has saved its mapfile: the next one waits for it. */
  lastRun?: Promise<unknown>;
  /** What a run that finished reported, kept in case it finished just as it was being stopped. */
  finished?: AcquireSummary;
  /** The job's text report, a line each, once written. */
  report?: readonly string[];
}

export class ApplianceStore {
  readonly facts = new Map<string, DriveFacts>();
  readonly jobs = new Map<string, JobTrace>();
  readonly #runs = new Set<Promise<unknown>>();

  /** Keeps a run (an acquisition saving its mapfile) until it ends, for settled() to wait on. */
  track<T>(run: Promise<T>): Promise<T> {
    this.#runs.add(run);
    const done = (): void => void this.#runs.delete(run);
    run.then(done, done);
    return run;
  }

  /** Resolves once every tracked run has ended. */
  async settled(): Promise<void> {
    while (this.#runs.size > 0) await Promise.allSettled([...this.#runs]);
  }

  trace(jobId: string, settings: ApplianceJobSettings): JobTrace {
    let t = this.jobs.get(jobId);
    if (!t) {
      t = { settings, startedAt: new Date(), earlierErrors: 0, running: false };
      this.jobs.set(jobId, t);
    }
    return t;
  }
}

/** The map as at most maxRuns runs: a run shorter than size/maxRuns joins its neighbour, worst status kept. */
export function mapRuns(map: SectorMap, maxRuns = 400): MapRun[] {
  const runs: MapRun[] = [];
  const grain = Math.max(1, Math.floor(map.size / maxRuns));
  for (const a of map.areas(0)) {
    const last = runs.at(-1);
    if (last && (last.status === a.status || (a.size < grain && last.bytes < grain))) {
      runs[runs.length - 1] = { status: worse(last.status, a.status), bytes: last.bytes + a.size };
    } else {
      runs.push({ status: a.status, bytes: a.size });
    }
  }
  return runs;
}

const RANK = { '+': 0, '?': 1, '*': 2, '/': 3, '-': 4 } as const;
function worse(a: MapRun['status'], b: MapRun['status']): MapRun['status'] {
  return RANK[a] >= RANK[b] ? a : b;
}
