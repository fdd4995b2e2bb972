// The job list, a job's live figures and its report, from the appliance's job machines and the
// traces its actors keep in the store (progress, sector map, report). Pure: the panel calls these
// four times a second.
import type { RescueProgress } from '../controller/rescue/progress.ts';
import type { ApplianceJobSettings } from '../machines/actors/job-settings.ts';
import type { JobTrace } from '../machines/actors/appliance-store.ts';
import type { ApplianceSnapshotLike, JobSnapshotLike, StoreLike } from './select-types.ts';
import type { JobMode, JobState, JobView, ResultView } from './view-model.ts';

/** The machine's top-level state; the nested ones (acquiring.steady, paused.holding) by their parent. */
function topState(value: JobSnapshotLike['value']): string {
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? '');
}

/** Reopening the source and power-cycling the drive are part of acquiring, said in the phase. */
const STATES: Readonly<Record<string, JobState>> = {
  preflight: 'preflight', acquiring: 'acquiring', reopening: 'acquiring', powerCycling: 'acquiring', paused: 'paused',
  verifying: 'verifying', reporting: 'reporting', done: 'done', aborted: 'aborted', failed: 'failed',
};

export function jobState(s: JobSnapshotLike): JobState {
  if (s.status === 'error') return 'failed';
  return STATES[topState(s.value)] ?? 'preflight';
}

/** The engine's phase as ddrescue names it: "copy pass 2", "trim", "scrape", "retry 1". */
export function enginePhase(p: Pick<RescueProgress, 'phase' | 'pass'>): string {
  switch (p.phase) {
    case '?': return `copy pass ${p.pass}`;
    case '*': return 'trim';
    case '/': return 'scrape';
    case '-': return `retry ${p.pass}`;
    case '+': return 'finished';
    default: return p.phase === 'F' ? 'fill' : 'generate';
  }
}

/** Said while a paused or aborted job's run is still stopping: its figures are not final yet. */
export const STOPPING = 'stopping, saving the mapfile';

function phaseWords(s: JobSnapshotLike, trace: JobTrace | undefined): string {
  const top = topState(s.value);
  const progress = trace?.progress;
  if ((top === 'paused' || top === 'aborted') && trace?.running) return STOPPING;
  switch (top) {
    case 'preflight': return 'preflight';
    case 'reopening': return 'reopening the source';
    case 'powerCycling': return 'power-cycling the drive';
    case 'verifying': return 'verify';
    case 'reporting': return 'report';
    case 'done': return 'done';
  }
  if (progress) return enginePhase(progress);
  return s.context.progress?.phase ?? (top === 'acquiring' ? 'starting' : top);
}

/** What the wizard asked for: a clone runs as a recovery job, and only its request says so. */
function modeOf(s: JobSnapshotLike, trace: JobTrace | undefined): JobMode {
  const settings = (trace?.settings ?? s.context.settings) as Partial<ApplianceJobSettings>;
  return settings.request?.mode ?? s.context.mode;
}

function noteOf(state: JobState, s: JobSnapshotLike): string | undefined {
  const c = s.context;
  if (c.error !== undefined) return c.error;
  if (state === 'aborted') return 'Aborted by the operator.';
  if (state === 'done' && c.verification) return c.verification.summary;
  return undefined;
}

export function jobView(jobId: string, port: string, s: JobSnapshotLike, store: StoreLike): JobView {
  const c = s.context;
  const trace = store.jobs.get(jobId);
  const p = trace?.progress;
  const state = jobState(s);
  const size = p?.domainSize ?? c.progress?.bytesTotal ?? c.preflight?.sourceBytes ?? 0;
  const rescued = p?.rescued ?? c.progress?.bytesDone ?? 0;
  const reading = state === 'acquiring' && (trace?.running ?? true);
  const finished = state === 'done' || state === 'verifying' || state === 'reporting';
  return {
    id: jobId,
    port,
    mode: modeOf(s, trace),
    state,
    pauseReason: state === 'paused' ? c.pause?.message : undefined,
    message: noteOf(state, s),
    phase: phaseWords(s, trace),
    pct: size > 0 ? (rescued * 100) / size : 0,
    rescued,
    size,
    rateBytesPerSec: reading ? (c.progress?.bytesPerSecond ?? p?.averageRate ?? 0) : 0,
    etaMs: finished ? 0 : reading ? (p?.remainingMs ?? null) : null,
    errors: (trace?.earlierErrors ?? 0) + (p?.readErrors ?? 0),
    map: trace?.map ?? (size > 0 ? [{ status: '?', bytes: size }] : []),
    // The engine's own figures: the map's runs are merged to fit the screen, so their sums are not.
    totals: p ? { '?': p.nonTried, '*': p.nonTrimmed, '/': p.nonScraped, '-': p.badSector, '+': p.rescued } : undefined,
    events: c.notes,
  };
}

/** Every job since power-on, in the order they were started. */
export function selectJobs(snapshot: ApplianceSnapshotLike, store: StoreLike): JobView[] {
  return Object.entries(snapshot.context.jobs).map(([jobId, { port, ref }]) => jobView(jobId, port, ref.getSnapshot(), store));
}

/** A job's text report, once written. */
export function selectResult(store: StoreLike, jobId: string): ResultView | undefined {
  const lines = store.jobs.get(jobId)?.report;
  return lines === undefined ? undefined : { jobId, lines };
}
