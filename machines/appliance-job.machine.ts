// One acquisition on the appliance: preflight -> acquiring -> verifying -> reporting -> done, with
// paused / aborted / failed. Wiring only: the engine runs in the 'acquire' actor and is stopped to
// pause (it saves its mapfile) and invoked again to resume (it carries on from the mapfile).
import { assign, enqueueActions, not, setup } from 'xstate';
import { errorText } from '../controller/formats/file-io.ts';
import type {
  AcquireSummary, ApplianceJobContext, ApplianceJobEmitted, ApplianceJobEvent, ApplianceJobInput, EngineEvent, JobActorInput,
  JobPreflight, PowerCycleInput, ReportInput, ReportResult, VerifyInput, VerifyResult, WatchSpaceInput,
} from './appliance-job.types.ts';
import { addHold, clearHold, holdsForDrive, isHeld } from './job-holds.ts';
import { driveNote, hangNote, pauseNote, sameDrive, writeBlockNote } from './job-notes.ts';
import { unprovidedCallback, unprovidedPromise } from './unprovided.ts';

const DEFAULT_HANG_WINDOW_MS = 10 * 60_000;
const MAX_NOTES = 20;

const actorInput = ({ context: c }: { context: ApplianceJobContext }): JobActorInput =>
  ({ jobId: c.jobId, port: c.port, mode: c.mode, settings: c.settings, source: c.source });
const fullNeeds = (e: ApplianceJobEvent) =>
  e.type === 'DEST.FULL' ? e.bytesNeeded : e.type === 'ENGINE.FAILED' ? (e.bytesNeeded ?? 0) : 0;

export const applianceJobMachine = setup({
  types: {
    context: {} as ApplianceJobContext,
    events: {} as ApplianceJobEvent,
    input: {} as ApplianceJobInput,
    emitted: {} as ApplianceJobEmitted,
  },
  actors: {
    preflight: unprovidedPromise<JobPreflight, JobActorInput>('preflight'),
    acquire: unprovidedCallback<JobActorInput, EngineEvent>('acquire'),
    reopen: unprovidedPromise<void, JobActorInput>('reopen'),
    powerCycle: unprovidedPromise<void, PowerCycleInput>('powerCycle'),
    watchSpace: unprovidedCallback<WatchSpaceInput>('watchSpace'),
    verify: unprovidedPromise<VerifyResult, VerifyInput>('verify'),
    report: unprovidedPromise<ReportResult, ReportInput>('report'),
  },
  delays: { hangWindow: ({ context }) => context.hangWindowMs },
  guards: {
    hasPowerRelay: ({ context }) => context.hasPowerRelay,
    needsSpace: ({ context }) => context.holds['destination-full'] !== undefined,
    outOfSpace: ({ event }) => event.type === 'ENGINE.FAILED' && event.code === 'ENOSPC',
    writeBlockLostForensic: ({ context, event }) =>
      context.mode === 'forensic' && event.type === 'WRITE_BLOCK.CHANGED' && event.state !== 'engaged',
    unprotectedAfterPreflight: ({ context }, p: { writeBlock: string }) =>
      context.mode === 'forensic' && p.writeBlock !== 'engaged',
    /** After a power cycle: anything that must keep the job paused (a hold, the drive gone, no write block). */
    unfitAfterPowerCycle: ({ context: c }) =>
      isHeld(c) || !c.drivePresent || (c.mode === 'forensic' && c.writeBlock !== 'engaged'),
    resumeTo: ({ context }, p: { phase: ApplianceJobContext['phase'] }) => !isHeld(context) && context.phase === p.phase,
  },
  actions: {
    trackDriveRemoved: assign(({ context }) => ({
      drivePresent: false,
      writeBlock: context.mode === 'forensic' ? 'unknown' : context.writeBlock,
    })),
    trackDriveAttached: assign(({ context, event }) =>
      event.type === 'DRIVE.ATTACHED' && sameDrive(context, event.serial) ? { drivePresent: true } : {}),
    trackWriteBlock: assign(({ event, context }) => (event.type === 'WRITE_BLOCK.CHANGED' ? { writeBlock: event.state } : {})),
    note: enqueueActions(({ context, enqueue }, p: { message: string }) => {
      enqueue.assign({ notes: [...context.notes, p.message].slice(-MAX_NOTES) });
      enqueue.emit({ type: 'note', jobId: context.jobId, message: p.message });
    }),
    countHang: assign({ hangs: ({ context }) => context.hangs + 1 }),
    holdOperator: assign(({ context }) => addHold(context, 'operator', true)),
    /** Holds for what is known of the drive: gone, or (forensic) without an engaged write block. */
    holdForDrive: assign(({ context }) => holdsForDrive(context)),
    releaseDriveIfSame: assign(({ context, event }) =>
      event.type === 'DRIVE.ATTACHED' && sameDrive(context, event.serial) ? clearHold(context, 'drive-removed') : {}),
    updateWriteBlockHold: assign(({ context, event }) => {
      if (event.type !== 'WRITE_BLOCK.CHANGED') return {};
      if (event.state === 'engaged') return clearHold(context, 'write-block-lost');
      return context.mode === 'forensic' ? addHold(context, 'write-block-lost', { state: event.state }) : {};
    }),
    holdSpace: assign(({ context, event }) =>
      addHold(context, 'destination-full', { bytesNeeded: fullNeeds(event), freeBytes: null })),
    measureSpace: assign(({ context, event }) => {
      const full = context.holds['destination-full'];
      if (event.type !== 'DEST.SPACE' || full === undefined) return {};
      if (event.freeBytes >= full.bytesNeeded) return clearHold(context, 'destination-full');
      return addHold(context, 'destination-full', { ...full, freeBytes: event.freeBytes });
    }),
    holdUnresponsive: assign(({ context }) => addHold(context, 'drive-unresponsive', { hangs: context.hangs })),
    /** The operator's say-so lifts only what the operator can judge: the pause, and a drive that stopped answering. */
    resumeByOperator: assign(({ context }) => clearHold({ ...context, ...clearHold(context, 'operator') }, 'drive-unresponsive')),
    keepPreflight: assign((_, output: JobPreflight) => ({ preflight: output, writeBlock: output.writeBlock })),
    keepError: assign({
      error: ({ event }) => (event.type === 'ENGINE.FAILED' ? event.error : errorText((event as { error?: unknown }).error)),
    }),
  },
}).createMachine({
  id: 'job',
  context: ({ input }) => ({
    ...input, hangWindowMs: input.hangWindowMs ?? DEFAULT_HANG_WINDOW_MS, phase: 'preflight', holds: {}, pause: undefined,
    drivePresent: true, writeBlock: 'unknown', hangs: 0, preflight: undefined, progress: undefined, acquired: undefined,
    verification: undefined, report: undefined, error: undefined, notes: [],
  }),
  initial: 'preflight',
  on: {
    ABORT: '.aborted',
    'DRIVE.REMOVED': { actions: ['trackDriveRemoved', { type: 'note', params: driveNote }] },
    'DRIVE.ATTACHED': { actions: ['trackDriveAttached', { type: 'note', params: driveNote }] },
    'WRITE_BLOCK.CHANGED': { actions: ['trackWriteBlock', { type: 'note', params: writeBlockNote }] },
  },
  states: {
    preflight: {
      entry: assign({ phase: 'preflight' }),
      invoke: {
        id: 'preflight',
        src: 'preflight',
        input: actorInput,
        onDone: [
          {
            guard: { type: 'unprotectedAfterPreflight', params: ({ event }) => ({ writeBlock: event.output.writeBlock }) },
            target: 'paused',
            actions: [{ type: 'keepPreflight', params: ({ event }) => event.output }, 'holdForDrive'],
          },
          { target: 'acquiring', actions: { type: 'keepPreflight', params: ({ event }) => event.output } },
        ],
        onError: { target: 'failed', actions: 'keepError' },
      },
      on: faults(),
    },
    acquiring: {
      entry: assign({ phase: 'acquiring' }),
      invoke: { id: 'acquire', src: 'acquire', input: actorInput },
      initial: 'steady',
      states: {
        steady: { on: { 'ENGINE.HANG': { target: '#job.reopening', actions: hang() } } },
        reopened: { after: { hangWindow: 'steady' }, on: { 'ENGINE.HANG': escalate() } },
        powerCycled: {
          after: { hangWindow: 'steady' },
          on: { 'ENGINE.HANG': { target: '#job.paused', actions: [...hang(), 'holdUnresponsive'] } },
        },
      },
      on: {
        ...faults(),
        PROGRESS: { actions: assign({ progress: ({ event }) => event.progress }) },
        'ENGINE.DONE': { target: 'verifying', actions: assign({ acquired: ({ event }): AcquireSummary => event.summary }) },
        'ENGINE.FAILED': [
          { guard: 'outOfSpace', target: 'paused', actions: 'holdSpace' },
          { target: 'failed', actions: 'keepError' },
        ],
      },
    },
    reopening: {
      invoke: { id: 'reopen', src: 'reopen', input: actorInput, onDone: 'acquiring.reopened', onError: escalate() },
      on: faults(),
    },
    powerCycling: {
      // Not interruptible by PAUSE or drive events (the drive drops off the bus while its power is off);
      // they are tracked, and weighed once the drive answers again.
      invoke: {
        id: 'powerCycle',
        src: 'powerCycle',
        input: ({ context }) => ({ port: context.port, source: context.source }),
        onDone: [
          { guard: 'unfitAfterPowerCycle', target: 'paused', actions: 'holdForDrive' },
          { target: 'acquiring.powerCycled' },
        ],
        onError: { target: 'paused', actions: [...hang(), 'holdUnresponsive'] },
      },
      on: { PAUSE: { actions: 'holdOperator' } },
    },
    paused: {
      entry: { type: 'note', params: pauseNote },
      initial: 'holding',
      always: [
        { guard: { type: 'resumeTo', params: { phase: 'preflight' } }, target: 'preflight' },
        { guard: { type: 'resumeTo', params: { phase: 'acquiring' } }, target: 'acquiring' },
        { guard: { type: 'resumeTo', params: { phase: 'verifying' } }, target: 'verifying' },
      ],
      states: {
        holding: { always: { guard: 'needsSpace', target: 'awaitingSpace' } },
        awaitingSpace: {
          invoke: {
            id: 'watchSpace',
            src: 'watchSpace',
            input: ({ context: c }) => ({
              jobId: c.jobId, port: c.port, destination: c.settings.destination, bytesNeeded: c.holds['destination-full']?.bytesNeeded ?? 0,
            }),
          },
          always: { guard: not('needsSpace'), target: 'holding' },
        },
      },
      on: {
        PAUSE: { actions: 'holdOperator' },
        RESUME: { actions: 'resumeByOperator' },
        'DRIVE.REMOVED': { actions: ['trackDriveRemoved', 'holdForDrive', { type: 'note', params: driveNote }] },
        'DRIVE.ATTACHED': { actions: ['trackDriveAttached', 'releaseDriveIfSame', { type: 'note', params: driveNote }] },
        'WRITE_BLOCK.CHANGED': { actions: ['trackWriteBlock', 'updateWriteBlockHold', { type: 'note', params: writeBlockNote }] },
        'DEST.FULL': { actions: 'holdSpace' },
        'DEST.SPACE': { actions: 'measureSpace' },
      },
    },
    verifying: {
      entry: assign({ phase: 'verifying' }),
      invoke: {
        id: 'verify',
        src: 'verify',
        input: ({ context }) => ({ ...actorInput({ context }), acquired: context.acquired! }),
        onDone: { target: 'reporting', actions: assign({ verification: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'keepError' },
      },
      on: faults(),
    },
    reporting: {
      invoke: {
        id: 'report',
        src: 'report',
        input: ({ context: c }) => ({ ...actorInput({ context: c }), acquired: c.acquired!, verification: c.verification!, notes: c.notes }),
        onDone: { target: 'done', actions: assign({ report: ({ event }) => event.output }) },
        onError: { target: 'failed', actions: 'keepError' },
      },
    },
    done: { type: 'final' },
    aborted: { type: 'final' },
    failed: { type: 'final' },
  },
});

/** What pauses a job wherever it touches the source or the destination. */
function faults() {
  return {
    PAUSE: { target: '#job.paused', actions: 'holdOperator' },
    'DRIVE.REMOVED': {
      target: '#job.paused',
      actions: ['trackDriveRemoved', 'holdForDrive', { type: 'note', params: driveNote }],
    },
    'WRITE_BLOCK.CHANGED': [
      { guard: 'writeBlockLostForensic', target: '#job.paused', actions: ['trackWriteBlock', 'holdForDrive'] },
      { actions: ['trackWriteBlock', { type: 'note', params: writeBlockNote }] },
    ],
    'DEST.FULL': { target: '#job.paused', actions: 'holdSpace' },
  } as const;
}

/** A hang soon after a reopen: power-cycle when there is a relay, else wait for the operator. */
function escalate() {
  return [
    { guard: 'hasPowerRelay' as const, target: '#job.powerCycling', actions: hang() },
    { target: '#job.paused', actions: [...hang(), 'holdUnresponsive' as const] },
  ];
}

function hang() {
  return ['countHang' as const, { type: 'note' as const, params: hangNote }];
}
