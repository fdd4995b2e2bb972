// One attached drive on one port: identify -> preflight -> ready <-> busy, and gone when it is
// detached. Wiring only: the named actors do the work and the context keeps their summaries.
import { assign, enqueueActions, not, setup } from 'xstate';
import type { AnyActorRef } from 'xstate';
import { errorText } from '../controller/formats/file-io.ts';
import type { WriteBlockState } from '../drivers/blocker/types.ts';
import type { VerdictLevel } from '../drivers/smart/types.ts';
import { unprovidedCallback, unprovidedPromise } from './unprovided.ts';

/** What DRIVE.ATTACHED carries: a discovery Drive fits. */
export interface AttachedDrive {
  readonly path: string;
  readonly serial: string | null;
}

/** identify (fromPromise) output. */
export interface DriveIdentity {
  readonly serial: string | null;
  readonly model: string | null;
  readonly sizeBytes: number;
  readonly logicalSectorSize: number;
  readonly transport: string | null;
}

/** preflight (fromPromise) output: one line each, for the front panel and the record. */
export interface PortPreflight {
  readonly writeBlock: WriteBlockState;
  readonly smartVerdict: VerdictLevel;
  /** smartSummaryLine(): "SMART: failing (8 pending sectors)". */
  readonly smartSummary: string;
  /** summarizeHiddenAreas(): "HPA: 2,113 sectors (1.0 MiB) hidden; DCO: none". */
  readonly hiddenAreas: string;
}

export interface PortActorInput {
  readonly port: string;
  readonly drive: AttachedDrive;
}

export type WriteBlockChanged = { readonly type: 'WRITE_BLOCK.CHANGED'; readonly state: WriteBlockState };

export type PortEvent =
  | { readonly type: 'DETACHED' }
  | { readonly type: 'JOB.STARTED'; readonly jobId: string }
  | { readonly type: 'JOB.ENDED'; readonly jobId: string }
  | { readonly type: 'RETRY' }
  | WriteBlockChanged;

/** Sent to the parent (the appliance) whenever the port's write-block state is learnt or changes. */
export type PortWriteBlockNotice = { readonly type: 'PORT.WRITE_BLOCK'; readonly port: string; readonly state: WriteBlockState };

export interface PortInput extends PortActorInput {
  /** Set when the port is attached while a job already holds it (a drive put back mid-job). */
  readonly jobId?: string;
  readonly parent?: AnyActorRef;
}

export interface PortContext extends PortActorInput {
  readonly identity: DriveIdentity | undefined;
  readonly preflight: PortPreflight | undefined;
  readonly writeBlock: WriteBlockState;
  /** The watcher has spoken: its readings are newer than preflight's. */
  readonly writeBlockWatched: boolean;
  readonly jobId: string | undefined;
  readonly error: string | undefined;
  readonly parent: AnyActorRef | undefined;
}

export const portMachine = setup({
  types: {
    context: {} as PortContext,
    events: {} as PortEvent,
    input: {} as PortInput,
  },
  actors: {
    identify: unprovidedPromise<DriveIdentity, PortActorInput>('identify'),
    preflight: unprovidedPromise<PortPreflight, PortActorInput & { identity: DriveIdentity }>('preflight'),
    watchWriteBlock: unprovidedCallback<PortActorInput, WriteBlockChanged>('watchWriteBlock'),
  },
  guards: {
    hasJob: ({ context }) => context.jobId !== undefined,
  },
  actions: {
    keepError: assign({ error: ({ event }) => errorText((event as { error?: unknown }).error) }),
    tellParent: enqueueActions(({ context, enqueue }) => {
      const notice: PortWriteBlockNotice = { type: 'PORT.WRITE_BLOCK', port: context.port, state: context.writeBlock };
      if (context.parent) enqueue.sendTo(context.parent, notice);
    }),
  },
}).createMachine({
  id: 'port',
  context: ({ input }) => ({
    port: input.port, drive: input.drive, identity: undefined, preflight: undefined, writeBlock: 'unknown',
    writeBlockWatched: false, jobId: input.jobId, error: undefined, parent: input.parent,
  }),
  // The watcher lives as long as the port: it reports losses even while identify or preflight run.
  invoke: { id: 'watchWriteBlock', src: 'watchWriteBlock', input: ({ context }) => ({ port: context.port, drive: context.drive }) },
  initial: 'identify',
  on: {
    DETACHED: '.gone',
    'WRITE_BLOCK.CHANGED': {
      actions: [assign({ writeBlock: ({ event }) => event.state, writeBlockWatched: true }), 'tellParent'],
    },
    'JOB.STARTED': { actions: assign({ jobId: ({ event }) => event.jobId }) },
    'JOB.ENDED': { actions: assign({ jobId: ({ context, event }) => (context.jobId === event.jobId ? undefined : context.jobId) }) },
  },
  states: {
    identify: {
      invoke: {
        id: 'identify',
        src: 'identify',
        input: ({ context }) => ({ port: context.port, drive: context.drive }),
        onDone: { target: 'preflight', actions: assign({ identity: ({ event }) => event.output, error: undefined }) },
        onError: { target: 'faulted', actions: 'keepError' },
      },
    },
    preflight: {
      invoke: {
        id: 'preflight',
        src: 'preflight',
        input: ({ context }) => ({ port: context.port, drive: context.drive, identity: context.identity! }),
        onDone: {
          target: 'ready',
          actions: [
            assign(({ context, event }) => ({
              preflight: event.output,
              writeBlock: context.writeBlockWatched ? context.writeBlock : event.output.writeBlock,
            })),
            'tellParent',
          ],
        },
        onError: { target: 'faulted', actions: 'keepError' },
      },
    },
    ready: { always: { guard: 'hasJob', target: 'busy' } },
    busy: { always: { guard: not('hasJob'), target: 'ready' } },
    faulted: { on: { RETRY: 'identify' } },
    gone: { type: 'final' },
  },
});
