// The job list and a job's figures from job snapshots (plain objects shaped like the job machine's)
// and the traces the actors keep in the store.
import { describe, expect, it } from 'vitest';
import type { RescueProgress } from '../../controller/rescue/progress.ts';
import type { JobTrace } from '../../machines/actors/appliance-store.ts';
import { applianceSettings } from '../../machines/actors/job-settings.ts';
import type { JobRequest } from '../../ui-tty/job-request.ts';
import { enginePhase, selectJobs, selectResult } from '../../ui-tty/select-jobs.ts';
import type { ApplianceSnapshotLike, JobSnapshotLike, StoreLike } from '../../ui-tty/select-types.ts';

const GB = 1e9;
const request = (mode: JobRequest['mode']): JobRequest => ({
  port: '2', mode, destination: '/srv/img/port2', forensic: null,
  recovery: { strategy: 'ddrescue', retries: 0, readTimeoutSec: 30, scrape: 'all' },
});

function job(value: JobSnapshotLike['value'], over: Partial<JobSnapshotLike['context']> = {}, status: JobSnapshotLike['status'] = 'active'): JobSnapshotLike {
  const settings = applianceSettings(request('recovery'), '/srv/img');
  return {
    value, status,
    context: {
      jobId: '2-5', port: '2', mode: 'recovery', settings, pause: undefined, error: undefined, notes: [],
      progress: undefined, preflight: { sourceBytes: 64 * GB, destinationFreeBytes: 1e12, writeBlock: 'engaged', resuming: false },
      verification: undefined, ...over,
    },
  };
}

function progress(over: Partial<RescueProgress> = {}): RescueProgress {
  return {
    phase: '?', pass: 1, pos: 16 * GB, domainSize: 64 * GB, rescued: 16 * GB, nonTried: 47 * GB, nonTrimmed: 0.5 * GB,
    nonScraped: 0.5 * GB, badSector: 4096, badAreas: 1, reads: 1000, readErrors: 12, timeouts: 0, runTimeMs: 160_000,
    sinceLastGoodMs: 0, averageRate: 100e6, remainingMs: 480_000, ...over,
  };
}

function trace(over: Partial<JobTrace> = {}): JobTrace {
  return { settings: applianceSettings(request('recovery'), '/srv/img'), startedAt: new Date(0), earlierErrors: 0, running: true, ...over };
}

function appliance(jobs: Record<string, [string, JobSnapshotLike]>): ApplianceSnapshotLike {
  return {
    context: {
      ports: {},
      jobs: Object.fromEntries(Object.entries(jobs).map(([id, [port, s]]) => [id, { port, ref: { getSnapshot: () => s } }])),
    },
  };
}

const store = (traces: Record<string, JobTrace> = {}): StoreLike => ({ facts: new Map(), jobs: new Map(Object.entries(traces)) });

describe('selectJobs', () => {
  it('an acquiring job: phase, figures, errors of every run, the map and the notes', () => {
    const map = [{ status: '+', bytes: 16 * GB }, { status: '-', bytes: 4096 }, { status: '?', bytes: 48 * GB - 4096 }] as const;
    const s = job({ acquiring: 'steady' }, { notes: ['Drive removed from port 2.', 'Drive attached to port 2.'] });
    const [v] = selectJobs(appliance({ '2-5': ['2', s] }), store({ '2-5': trace({ progress: progress({ pass: 2 }), map, earlierErrors: 30 }) }));
    expect(v).toEqual({
      id: '2-5', port: '2', mode: 'recovery', state: 'acquiring', pauseReason: undefined, message: undefined,
      phase: 'copy pass 2', pct: 25, rescued: 16 * GB, size: 64 * GB, rateBytesPerSec: 100e6, etaMs: 480_000, errors: 42,
      map, totals: { '?': 47 * GB, '*': 0.5 * GB, '/': 0.5 * GB, '-': 4096, '+': 16 * GB },
      events: ['Drive removed from port 2.', 'Drive attached to port 2.'],
    });
  });

  it('names every engine phase as ddrescue does', () => {
    expect(['?', '*', '/', '-', '+'].map((phase) => enginePhase({ phase: phase as RescueProgress['phase'], pass: 3 })))
      .toEqual(['copy pass 3', 'trim', 'scrape', 'retry 3', 'finished']);
  });

  it('a paused job: the pause reason, no rate, no time left, the figures it stopped at', () => {
    const s = job({ paused: 'holding' }, { pause: { reason: 'operator', message: 'Paused by the operator.' } });
    const [v] = selectJobs(appliance({ a: ['2', s] }), store({ a: trace({ progress: progress({ phase: '*' }), running: false }) }));
    expect(v).toMatchObject({ state: 'paused', pauseReason: 'Paused by the operator.', phase: 'trim', pct: 25, rateBytesPerSec: 0, etaMs: null });
  });

  it('a paused or aborted job whose run is still stopping says so: its figures are not final yet', () => {
    const paused = job({ paused: 'holding' }, { pause: { reason: 'operator', message: 'Paused by the operator.' } });
    const views = selectJobs(appliance({ a: ['2', paused], b: ['3', job('aborted', {}, 'done')] }),
      store({ a: trace({ progress: progress(), running: true }), b: trace({ progress: progress(), running: true }) }));
    expect(views.map((v) => v.phase)).toEqual(['stopping, saving the mapfile', 'stopping, saving the mapfile']);
  });

  it('the current rate from the machine\'s PROGRESS when the actor reports one', () => {
    const s = job({ acquiring: 'steady' }, { progress: { phase: 'copy', bytesDone: 1, bytesTotal: 2, unreadBytes: 0, bytesPerSecond: 42e6 } });
    const [v] = selectJobs(appliance({ a: ['2', s] }), store({ a: trace({ progress: progress() }) }));
    expect(v.rateBytesPerSec).toBe(42e6);
  });

  it('before the first progress report: the source size from preflight, the whole map non-tried', () => {
    const [pre] = selectJobs(appliance({ a: ['2', job('preflight', { preflight: undefined })] }), store());
    expect(pre).toMatchObject({ state: 'preflight', phase: 'preflight', size: 0, pct: 0, map: [], errors: 0 });
    const [starting] = selectJobs(appliance({ a: ['2', job({ acquiring: 'steady' })] }), store({ a: trace() }));
    expect(starting).toMatchObject({ phase: 'starting', size: 64 * GB, map: [{ status: '?', bytes: 64 * GB }] });
  });

  it('reopening and power-cycling count as acquiring, said in the phase', () => {
    const [a, b] = selectJobs(appliance({ a: ['1', job('reopening')], b: ['2', job('powerCycling')] }), store());
    expect([a.state, a.phase, b.state, b.phase]).toEqual(['acquiring', 'reopening the source', 'acquiring', 'power-cycling the drive']);
  });

  it('the end states: done with the verification, failed with its error, aborted, and a crashed job actor as failed', () => {
    const done = job('done', { verification: { ok: true, summary: 'The mapfile agrees with the image.' } }, 'done');
    const failed = job('failed', { error: 'EIO writing /srv/img/port2.img' }, 'done');
    const aborted = job('aborted', {}, 'done');
    const crashed = job({ acquiring: 'steady' }, { error: undefined }, 'error');
    const views = selectJobs(appliance({ d: ['1', done], f: ['2', failed], a: ['3', aborted], c: ['4', crashed] }),
      store({ d: trace({ progress: progress({ phase: '+', rescued: 64 * GB }), running: false }) }));
    expect(views.map((v) => [v.id, v.state, v.message])).toEqual([
      ['d', 'done', 'The mapfile agrees with the image.'],
      ['f', 'failed', 'EIO writing /srv/img/port2.img'],
      ['a', 'aborted', 'Aborted by the operator.'],
      ['c', 'failed', undefined],
    ]);
    expect(views[0]).toMatchObject({ phase: 'done', pct: 100, etaMs: 0, rateBytesPerSec: 0 });
  });

  it('a clone runs as a recovery job: the request\'s mode is shown', () => {
    const clone = trace({ settings: applianceSettings({ ...request('clone'), destination: '/dev/sdx' }, '/srv/img') });
    const [v] = selectJobs(appliance({ a: ['2', job({ acquiring: 'steady' })] }), store({ a: clone }));
    expect(v.mode).toBe('clone');
  });
});

describe('selectResult', () => {
  it('the report lines once written, nothing before', () => {
    const lines = ['Recovery report: port 2', '', 'Rescued 100%'];
    const s = store({ a: trace({ report: lines }), b: trace() });
    expect(selectResult(s, 'a')).toEqual({ jobId: 'a', lines });
    expect(selectResult(s, 'b')).toBeUndefined();
    expect(selectResult(s, 'c')).toBeUndefined();
  });
});
