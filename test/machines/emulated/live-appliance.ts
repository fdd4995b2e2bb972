// The appliance machine running on the emulated appliance, for tests: start it in a temp folder,
// wait on ports and jobs, start jobs the way the panel does, and read what they wrote.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strategyDefaults, type JobRequest } from '../../../ui-tty/job-request.ts';
import { emulatedAppliance, type EmulatedApplianceOptions } from '../../../hil/scenarios/appliance.ts';
import { runAppliance } from '../../../machines/actors/run-appliance.ts';
import { startJobEvent } from '../../../ui-tty/panel.ts';
import type { JobMode } from '../../../ui-tty/view-model.ts';

export type LiveOptions = Partial<EmulatedApplianceOptions> & { readonly hangWindowMs?: number };

export async function liveAppliance(opts: LiveOptions = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'imagebox-appliance-'));
  const emu = emulatedAppliance({
    imagesDir: join(dir, 'images'), spaceWatchMs: 100, powerTimings: { offMs: 50, settleMs: 50 }, factsTimeoutMs: 10_000, ...opts,
  });
  const relays = emu.ports.filter((p) => emu.relay(p) !== undefined);
  const app = runAppliance(emu.env, { powerRelayPorts: relays, hangWindowMs: opts.hangWindowMs });
  await app.ready;
  const refusals: string[] = [];
  app.actor.on('JOB.REFUSED', (e) => refusals.push(e.refusal.message));

  const ctx = () => app.actor.getSnapshot().context;
  const port = (p: string) => ctx().ports[p]?.getSnapshot();
  const job = (id: string) => ctx().jobs[id].ref.getSnapshot();

  async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== false) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  function request(p: string, mode: JobMode, destination: string, forensic: JobRequest['forensic'] = null): JobRequest {
    return { port: p, mode, destination: join(dir, 'images', destination), forensic, recovery: strategyDefaults('ddrescue') };
  }

  /** Sends the panel's START_JOB; resolves with the job id, or rejects with the refusal. */
  function start(r: JobRequest): string {
    const before = Object.keys(ctx().jobs).length;
    const refused = refusals.length;
    app.actor.send(startJobEvent(r, join(dir, 'images')));
    if (refusals.length > refused) throw new Error(refusals.at(-1));
    const ids = Object.keys(ctx().jobs);
    if (ids.length === before) throw new Error('no job started');
    return ids.at(-1)!;
  }

  const stateOf = (id: string) => {
    const v = job(id).value;
    return typeof v === 'string' ? v : Object.keys(v)[0];
  };

  return {
    dir, emu, app, refusals, port, job, until, request, start, stateOf,
    trace: (id: string) => emu.env.store.jobs.get(id),
    readyPorts: () => until('every port ready', () => emu.ports.every((p) => port(p)?.value === 'ready')),
    finished: (id: string, timeoutMs = 90_000) =>
      until(`job ${id} to end`, () => (['done', 'failed', 'aborted'].includes(stateOf(id)) ? stateOf(id) : undefined), timeoutMs),
    async close() {
      await app.stop();
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
