// The events a traversal of the appliance job machine may use, and how a path is replayed live.
import type { AnyEventObject } from 'xstate';
import type { ApplianceJobEvent, ApplianceJobInput, JobPreflight } from '../../machines/appliance-job.types.ts';
import { applianceJobMachine } from '../../machines/appliance-job.machine.ts';
import { eventsWhereSent, keyOf } from './replay-path.ts';

export const HANG_WINDOW_MS = 5 * 60_000;

export const jobInput = (over: Partial<ApplianceJobInput> = {}): ApplianceJobInput => ({
  jobId: 'j1', port: '2', mode: 'forensic', settings: { destination: '/srv/cases/42' },
  source: { serial: 'WD-123', path: '/dev/sdb' }, hasPowerRelay: true, hangWindowMs: HANG_WINDOW_MS, ...over,
});

export const preflightOk = (writeBlock: JobPreflight['writeBlock'] = 'engaged'): JobPreflight =>
  ({ sourceBytes: 1e12, destinationFreeBytes: 2e12, writeBlock, resuming: false });
export const acquired = { bytesTotal: 1e12, unreadBytes: 4096, imagePaths: ['/srv/cases/42/sdb.E01'], hashes: { md5: 'aa' } };
export const progress = { phase: 'copy', bytesDone: 5e11, bytesTotal: 1e12, unreadBytes: 0, bytesPerSecond: 1.5e8 };

export const jobEvents: AnyEventObject[] = [
  { type: 'xstate.done.actor.preflight', output: preflightOk() },
  { type: 'xstate.done.actor.preflight', output: preflightOk('unknown') },
  { type: 'xstate.error.actor.preflight', error: new Error('destination is not mounted') },
  { type: 'PROGRESS', progress },
  { type: 'ENGINE.DONE', summary: acquired },
  { type: 'ENGINE.FAILED', error: 'EIO on the destination' },
  { type: 'ENGINE.FAILED', error: 'ENOSPC: no space left on device', code: 'ENOSPC', bytesNeeded: 3e9 },
  { type: 'ENGINE.HANG', detail: 'read at 0x1a2b0000 hung for 30 s' },
  { type: 'DEST.FULL', bytesNeeded: 3e9 },
  { type: 'DEST.SPACE', freeBytes: 1e9 },
  { type: 'DEST.SPACE', freeBytes: 5e9 },
  { type: 'xstate.done.actor.reopen' },
  { type: 'xstate.error.actor.reopen', error: new Error('open: ENXIO') },
  { type: 'xstate.done.actor.powerCycle' },
  { type: 'xstate.error.actor.powerCycle', error: new Error('relay did not answer') },
  { type: 'xstate.after.hangWindow.job.acquiring.reopened' },
  { type: 'xstate.after.hangWindow.job.acquiring.powerCycled' },
  { type: 'xstate.done.actor.verify', output: { ok: true, summary: 'MD5 and SHA-1 match' } },
  { type: 'xstate.error.actor.verify', error: new Error('image unreadable') },
  { type: 'xstate.done.actor.report', output: { paths: ['/srv/cases/42/report.html'] } },
  { type: 'xstate.error.actor.report', error: new Error('EROFS') },
  { type: 'PAUSE' },
  { type: 'RESUME' },
  { type: 'ABORT' },
  { type: 'DRIVE.REMOVED', serial: 'WD-123' },
  { type: 'DRIVE.ATTACHED', serial: 'WD-123' },
  { type: 'DRIVE.ATTACHED', serial: 'ST-999' },
  { type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' },
  { type: 'WRITE_BLOCK.CHANGED', state: 'engaged' },
];

type Snap = ReturnType<typeof applianceJobMachine.getInitialSnapshot>;
export const projectJob = (s: Snap) => ({
  holds: Object.keys(s.context.holds).sort(),
  reason: s.context.pause?.reason ?? null,
  phase: s.context.phase,
  drivePresent: s.context.drivePresent,
  writeBlock: s.context.writeBlock,
});
export const JOB_SENT_BY = {
  PROGRESS: 'acquire', 'ENGINE.DONE': 'acquire', 'ENGINE.FAILED': 'acquire', 'ENGINE.HANG': 'acquire', 'DEST.FULL': 'acquire',
  'DEST.SPACE': 'watchSpace',
};
export const jobTraversal = (input: ApplianceJobInput, events: AnyEventObject[] = jobEvents) => ({
  events: eventsWhereSent<Snap, ApplianceJobEvent>(events, JOB_SENT_BY),
  input,
  serializeState: (s: Snap) => keyOf(s.value, projectJob(s)),
  stopWhen: (s: Snap) => s.status === 'done',
});
export const jobReplay = (input: ApplianceJobInput) => ({
  machine: applianceJobMachine,
  input,
  promises: ['preflight', 'reopen', 'powerCycle', 'verify', 'report'],
  callbacks: ['acquire', 'watchSpace'],
  sentBy: JOB_SENT_BY,
  delays: { hangWindow: HANG_WINDOW_MS },
  project: projectJob,
});
