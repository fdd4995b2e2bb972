// Runs the job machine once, as a command does: live status while it runs, Ctrl-C and SIGTERM
// asking the engine to stop and save, and the final snapshot or the failure.
import { createActor, toPromise } from 'xstate';
import type { Logger } from '../logger.ts';
import { jobMachine, type LaunchRescue } from '../../machines/job.machine.ts';
import type { RescueOutcome } from '../rescue/engine.ts';
import type { StatusPrinter } from './status-printer.ts';

export async function runJobMachine(launch: LaunchRescue, printer: StatusPrinter | undefined, log: Logger, what: string): Promise<RescueOutcome | Error> {
  const actor = createActor(jobMachine, { input: { launch } });
  actor.subscribe((snap) => {
    if (snap.context.progress && snap.status === 'active') printer?.update(snap.context.progress);
  });
  const onSignal = (signal: NodeJS.Signals) => {
    log.warn({ signal }, 'interrupt requested; saving the mapfile');
    actor.send({ type: 'STOP' });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    actor.start();
    await toPromise(actor);
    const snap = actor.getSnapshot();
    if (snap.context.progress) printer?.update(snap.context.progress, true);
    if (snap.value === 'failed') {
      log.error({ error: snap.context.error }, `${what} failed`);
      return new Error(snap.context.error ?? `${what} failed`);
    }
    return snap.context.outcome!;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
