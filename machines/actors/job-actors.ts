// The job machine's actors other than the run itself: preflight, reopen and power cycle after a
// hang, the free-space watch of a job paused for room, and verification.
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import { cycle } from '../../drivers/power/cycle.ts';
import type { JobActorInput, PowerCycleInput, VerifyInput, VerifyResult, WatchSpaceInput } from '../appliance-job.types.ts';
import type { ApplianceEnv } from './appliance-env.ts';
import { jobPreflight } from './job-preflight.ts';
import { verifyJob } from './verify-job.ts';

/** How long a drive gets to answer after its power came back (on top of the relay's settle time). */
const ANSWER_WITHIN_MS = 30_000;
const ANSWER_POLL_MS = 500;

/** Opens the drive and reads its first sector: resolves when it answers. */
async function answers(env: ApplianceEnv, path: string, timeoutMs: number): Promise<boolean> {
  const opened = await env.openSource(path);
  try {
    const r = await opened.source.read(0, opened.source.sectorSize, { timeoutMs });
    return r.ok;
  } finally {
    await opened.source.close().catch(() => {});
  }
}

export function jobActors(env: ApplianceEnv) {
  const log = env.log.child({ component: 'job' });
  return {
    preflight: fromPromise<Awaited<ReturnType<typeof jobPreflight>>, JobActorInput>(({ input }) => jobPreflight(env, input)),

    reopen: fromPromise<void, JobActorInput>(async ({ input }) => {
      log.warn({ job: input.jobId, port: input.port }, 'reopening the source after a hang');
      if (!(await answers(env, input.source.path, 10_000))) throw new Error(`${input.source.path} did not answer after a reopen`);
    }),

    powerCycle: fromPromise<void, PowerCycleInput>(async ({ input, signal }) => {
      const sw = env.powerSwitch(input.port);
      if (!sw) throw new Error(`port ${input.port} has no power relay`);
      log.warn({ port: input.port, switch: sw.label }, 'power-cycling the source after repeated hangs');
      await cycle(sw, env.powerTimings, signal, env.powerClock);
      const until = env.powerClock.now() + ANSWER_WITHIN_MS;
      for (;;) {
        signal.throwIfAborted();
        const ok = await answers(env, input.source.path, 5_000).catch(() => false);
        if (ok) return;
        if (env.powerClock.now() >= until) throw new Error(`the drive on port ${input.port} did not answer after a power cycle`);
        await env.powerClock.sleep(ANSWER_POLL_MS, signal);
      }
    }),

    watchSpace: fromCallback<EventObject, WatchSpaceInput>(({ input, sendBack }) => {
      let last: number | undefined;
      let stopped = false;
      const look = (): void => {
        env.freeBytes(input.destination).then(
          (free) => {
            if (stopped || free === last) return;
            last = free;
            sendBack({ type: 'DEST.SPACE', freeBytes: free });
          },
          (err: unknown) => log.warn({ job: input.jobId, err }, 'free space unknown'),
        );
      };
      look();
      const timer = setInterval(look, env.spaceWatchMs);
      return () => {
        stopped = true;
        clearInterval(timer);
      };
    }),

    verify: fromPromise<VerifyResult, VerifyInput>(({ input, signal }) => verifyJob(env, input, signal)),
  };
}
