// The appliance: a port machine per attached drive and a job machine per running job, several at
// once on different ports. It refuses a job the port cannot take, and forwards what happens to a
// drive (removed, attached, write block) to the job on that port. Wiring only.
import { assign, enqueueActions, setup } from 'xstate';
import type { ActorRefFrom } from 'xstate';
import { errorText } from '../controller/formats/file-io.ts';
import type { WriteBlockState } from '../drivers/blocker/types.ts';
import { applianceJobMachine } from './appliance-job.machine.ts';
import type { JobMode, JobSettings } from './appliance-job.types.ts';
import { portMachine } from './port.machine.ts';
import type { AttachedDrive, PortWriteBlockNotice } from './port.machine.ts';

export type PortRef = ActorRefFrom<typeof portMachine>;
export type JobRef = ActorRefFrom<typeof applianceJobMachine>;

export interface ApplianceInput {
  /** Ports whose source power goes through a relay the box can switch. */
  readonly powerRelayPorts?: readonly string[];
  readonly hangWindowMs?: number;
}

export type RefusalReason = 'no-drive' | 'not-ready' | 'busy' | 'write-block';
export interface Refusal {
  readonly port: string;
  readonly reason: RefusalReason;
  readonly message: string;
}

export type ApplianceEvent =
  | { readonly type: 'DRIVE.ATTACHED'; readonly port: string; readonly drive: AttachedDrive }
  | { readonly type: 'DRIVE.DETACHED'; readonly port: string }
  | { readonly type: 'START_JOB'; readonly port: string; readonly mode: JobMode; readonly settings: JobSettings }
  | { readonly type: 'PAUSE_JOB' | 'RESUME_JOB' | 'ABORT_JOB'; readonly jobId: string }
  | PortWriteBlockNotice
  | { readonly type: `xstate.done.actor.${string}`; readonly actorId: string }
  | { readonly type: `xstate.error.actor.${string}`; readonly actorId: string; readonly error: unknown };

export type ApplianceEmitted =
  | { readonly type: 'JOB.REFUSED'; readonly refusal: Refusal }
  | { readonly type: 'JOB.ACCEPTED'; readonly jobId: string; readonly port: string };

export interface ApplianceContext {
  readonly powerRelayPorts: readonly string[];
  readonly hangWindowMs: number | undefined;
  readonly ports: Readonly<Record<string, PortRef>>;
  /** Every job started since power-on, finished ones included, so their results stay readable. */
  readonly jobs: Readonly<Record<string, { readonly port: string; readonly ref: JobRef }>>;
  /** The job holding each port, until it ends. */
  readonly jobOnPort: Readonly<Record<string, string>>;
  readonly spawned: number;
  readonly refusal: Refusal | undefined;
  /** Why the last job or port actor stopped with an error (a missing actor, a bug). */
  readonly lastError: string | undefined;
}

/** Why a START_JOB cannot run now, or undefined when it can. */
export function refusalFor(c: ApplianceContext, port: string, mode: JobMode): Refusal | undefined {
  const ref = c.ports[port];
  if (ref === undefined) return { port, reason: 'no-drive', message: `No drive on port ${port}.` };
  const s = ref.getSnapshot();
  if (c.jobOnPort[port] !== undefined || s.value === 'busy') {
    return { port, reason: 'busy', message: `Port ${port} is busy with job ${c.jobOnPort[port] ?? s.context.jobId}.` };
  }
  if (s.value !== 'ready') {
    const detail = s.value === 'faulted' ? `failed: ${s.context.error}` : `still in ${String(s.value)}`;
    return { port, reason: 'not-ready', message: `Drive on port ${port} is not ready (${detail}).` };
  }
  if (mode === 'forensic' && s.context.writeBlock !== 'engaged') {
    return {
      port, reason: 'write-block',
      message: `Forensic job refused: write block on port ${port} is ${s.context.writeBlock}; engage it or start a recovery job.`,
    };
  }
  return undefined;
}

const jobIdOf = (actorId: string) => (actorId.startsWith('job:') ? actorId.slice(4) : undefined);
export const applianceMachine = setup({
  types: {
    context: {} as ApplianceContext,
    events: {} as ApplianceEvent,
    input: {} as ApplianceInput,
    emitted: {} as ApplianceEmitted,
  },
  actors: { port: portMachine, job: applianceJobMachine },
  actions: {
    forward: enqueueActions(({ context, enqueue }, p: { jobId: string; type: 'PAUSE' | 'RESUME' | 'ABORT' }) => {
      const job = context.jobs[p.jobId];
      if (job) enqueue.sendTo(job.ref, { type: p.type });
    }),
    /** A job or port actor stopped: free the port a job held; forget a port whose drive is gone. */
    release: enqueueActions(({ context: c, enqueue }, p: { actorId: string }) => {
      const jobId = jobIdOf(p.actorId);
      const port = jobId === undefined ? undefined : c.jobs[jobId]?.port;
      if (jobId !== undefined && port !== undefined && c.jobOnPort[port] === jobId) {
        const { [port]: _, ...jobOnPort } = c.jobOnPort;
        enqueue.assign({ jobOnPort });
        if (c.ports[port]) enqueue.sendTo(c.ports[port], { type: 'JOB.ENDED', jobId });
      }
      const gone = Object.entries(c.ports).find(([, ref]) => ref.id === p.actorId)?.[0];
      if (gone !== undefined) {
        const { [gone]: _, ...ports } = c.ports;
        enqueue.assign({ ports });
      }
    }),
  },
}).createMachine({
  id: 'appliance',
  context: ({ input }) => ({
    powerRelayPorts: input.powerRelayPorts ?? [], hangWindowMs: input.hangWindowMs,
    ports: {}, jobs: {}, jobOnPort: {}, spawned: 0, refusal: undefined, lastError: undefined,
  }),
  on: {
    'DRIVE.ATTACHED': {
      actions: enqueueActions(({ context: c, event: e, enqueue }) => {
        const old = c.ports[e.port];
        if (old) enqueue.stopChild(old);
        const jobId = c.jobOnPort[e.port];
        enqueue.assign({
          spawned: c.spawned + 1,
          ports: ({ context, spawn, self }) => ({
            ...context.ports,
            [e.port]: spawn('port', { id: `port:${e.port}#${c.spawned}`, input: { port: e.port, drive: e.drive, jobId, parent: self } }),
          }),
        });
        if (jobId) enqueue.sendTo(c.jobs[jobId].ref, { type: 'DRIVE.ATTACHED', serial: e.drive.serial });
      }),
    },
    'DRIVE.DETACHED': {
      actions: enqueueActions(({ context: c, event: e, enqueue }) => {
        const ref = c.ports[e.port];
        if (ref === undefined) return;
        enqueue.sendTo(ref, { type: 'DETACHED' });
        const jobId = c.jobOnPort[e.port];
        const serial = ref.getSnapshot().context.identity?.serial ?? ref.getSnapshot().context.drive.serial;
        if (jobId) enqueue.sendTo(c.jobs[jobId].ref, { type: 'DRIVE.REMOVED', serial });
      }),
    },
    'PORT.WRITE_BLOCK': {
      actions: enqueueActions(({ context: c, event: e, enqueue }) => {
        const jobId = c.jobOnPort[e.port];
        const state: WriteBlockState = e.state;
        if (jobId) enqueue.sendTo(c.jobs[jobId].ref, { type: 'WRITE_BLOCK.CHANGED', state });
      }),
    },
    START_JOB: {
      actions: enqueueActions(({ context: c, event: e, enqueue }) => {
        const refusal = refusalFor(c, e.port, e.mode);
        if (refusal) {
          enqueue.assign({ refusal });
          enqueue.emit({ type: 'JOB.REFUSED', refusal });
          return;
        }
        const portRef = c.ports[e.port];
        const { identity, drive } = portRef.getSnapshot().context;
        const jobId = `${e.port}-${c.spawned}`;
        const input = {
          jobId, port: e.port, mode: e.mode, settings: e.settings,
          source: { serial: identity?.serial ?? drive.serial, path: drive.path },
          hasPowerRelay: c.powerRelayPorts.includes(e.port), hangWindowMs: c.hangWindowMs,
        };
        enqueue.assign({
          spawned: c.spawned + 1,
          refusal: undefined,
          jobOnPort: { ...c.jobOnPort, [e.port]: jobId },
          jobs: ({ context, spawn }) => ({ ...context.jobs, [jobId]: { port: e.port, ref: spawn('job', { id: `job:${jobId}`, input }) } }),
        });
        enqueue.sendTo(portRef, { type: 'JOB.STARTED', jobId });
        enqueue.emit({ type: 'JOB.ACCEPTED', jobId, port: e.port });
      }),
    },
    PAUSE_JOB: { actions: { type: 'forward', params: ({ event }) => ({ jobId: event.jobId, type: 'PAUSE' }) } },
    RESUME_JOB: { actions: { type: 'forward', params: ({ event }) => ({ jobId: event.jobId, type: 'RESUME' }) } },
    ABORT_JOB: { actions: { type: 'forward', params: ({ event }) => ({ jobId: event.jobId, type: 'ABORT' }) } },
    'xstate.done.actor.*': { actions: { type: 'release', params: ({ event }) => ({ actorId: event.actorId }) } },
    'xstate.error.actor.*': {
      actions: [
        assign({ lastError: ({ event }) => `${event.actorId}: ${errorText((event as { error?: unknown }).error)}` }),
        { type: 'release', params: ({ event }) => ({ actorId: event.actorId }) },
      ],
    },
  },
});
