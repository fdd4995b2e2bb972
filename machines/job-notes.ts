// What a job tells the operator as things happen to it: kept in context.notes and emitted as
// 'note' events for the CLI's job log. Pure: each takes the machine's context and event.
import { errorText } from '../controller/formats/file-io.ts';
import type { ApplianceJobContext, ApplianceJobEvent } from './appliance-job.types.ts';

/** A drive without a serial can never be shown to be the same one, so it never resumes a job by itself. */
export const sameDrive = (c: ApplianceJobContext, serial: string | null | undefined) =>
  c.source.serial !== null && serial === c.source.serial;

type Ctx = { context: ApplianceJobContext; event: ApplianceJobEvent };
/** An invoked actor's rejection, as the machine receives it. */
type ActorError = { readonly type: `xstate.error.actor.${string}`; readonly error: unknown };
export const driveNote = ({ context, event }: Ctx) => ({
  message:
    event.type === 'DRIVE.ATTACHED' && !sameDrive(context, event.serial)
      ? `A different drive (${event.serial ?? 'no serial'}) was attached to port ${context.port}; ` +
        `still waiting for ${context.source.serial ?? 'the source'}.`
      : `Drive ${event.type === 'DRIVE.ATTACHED' ? 'attached to' : 'removed from'} port ${context.port}.`,
});
export const writeBlockNote = ({ context, event }: Ctx) => ({
  message:
    `Write block on port ${context.port} is now ${event.type === 'WRITE_BLOCK.CHANGED' ? event.state : context.writeBlock}` +
    (context.mode === 'recovery' ? ' (recovery job: carrying on).' : '.'),
});
export const hangNote = ({ context, event }: { context: ApplianceJobContext; event: ApplianceJobEvent | ActorError }) => ({
  message:
    `Read hang ${context.hangs} on port ${context.port}: ` +
    (event.type === 'ENGINE.HANG' ? event.detail : 'error' in event ? errorText(event.error) : event.type),
});
export const pauseNote = ({ context }: Ctx) => ({ message: context.pause?.message ?? 'Paused.' });

