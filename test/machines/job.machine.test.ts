// The job machine is wiring: it runs the engine once and mirrors what comes back.
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import type { RescueOutcome } from '../../controller/rescue/engine.ts';
import type { RescueProgress } from '../../controller/rescue/progress.ts';
import type { LaunchRescue } from '../../machines/job.machine.ts';
import { jobMachine } from '../../machines/job.machine.ts';

const progress = (rescued: number, phase: RescueProgress['phase'] = '?'): RescueProgress => ({
  phase, pass: 1, pos: rescued, domainSize: 100, rescued, nonTried: 100 - rescued, nonTrimmed: 0, nonScraped: 0,
  badSector: 0, badAreas: 0, reads: 1, readErrors: 0, timeouts: 0, runTimeMs: 1, sinceLastGoodMs: 0, averageRate: 1, remainingMs: 1,
});

/** An engine stand-in that reports twice, then waits for the abort or finishes. */
function engine(finish: boolean, calls: { launched: number; aborted: boolean }): LaunchRescue {
  return (signal, onProgress) => {
    calls.launched++;
    onProgress(progress(10));
    onProgress(progress(20));
    if (finish) return Promise.resolve<RescueOutcome>({ kind: 'finished', progress: progress(100, '+') });
    return new Promise((resolve) =>
      signal.addEventListener('abort', () => {
        calls.aborted = true;
        resolve({ kind: 'stopped', reason: 'interrupted', progress: progress(20) });
      }),
    );
  };
}

describe('job machine', () => {
  it('runs the engine once and ends finished with its outcome', async () => {
    const calls = { launched: 0, aborted: false };
    const seen: number[] = [];
    const actor = createActor(jobMachine, { input: { launch: engine(true, calls) } });
    actor.subscribe((s) => s.context.progress && seen.push(s.context.progress.rescued));
    actor.start();
    await toPromise(actor);
    expect(actor.getSnapshot().value).toBe('finished');
    expect(actor.getSnapshot().context.outcome?.kind).toBe('finished');
    expect(calls.launched).toBe(1);
    expect(seen).toContain(20);
  });

  it('STOP aborts the engine, which still reports back: the job ends stopped', async () => {
    const calls = { launched: 0, aborted: false };
    const actor = createActor(jobMachine, { input: { launch: engine(false, calls) } });
    actor.start();
    expect(actor.getSnapshot().context.progress?.rescued).toBe(20);
    actor.send({ type: 'STOP' });
    await toPromise(actor);
    expect(calls.aborted).toBe(true);
    expect(actor.getSnapshot().value).toBe('stopped');
  });

  it('an engine that throws ends the job failed, with the message', async () => {
    const actor = createActor(jobMachine, { input: { launch: () => Promise.reject(new Error('ENOSPC: no space left')) } });
    actor.start();
    await toPromise(actor);
    expect(actor.getSnapshot().value).toBe('failed');
    expect(actor.getSnapshot().context.error).toMatch(/ENOSPC/);
  });
});
