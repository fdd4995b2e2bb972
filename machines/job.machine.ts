// A rescue job as a state machine: wiring only. The engine is plain async code that the
// 'rescue' actor runs once; progress comes back a few times a second as events.
import { assign, fromCallback, sendTo, setup } from 'xstate';
import type { RescueOutcome } from '../controller/rescue/engine.ts';
import type { RescueProgress } from '../controller/rescue/progress.ts';

/** Starts the engine; the machine never sees the map, only what comes back. */
export type LaunchRescue = (signal: AbortSignal, onProgress: (p: RescueProgress) => void) => Promise<RescueOutcome>;

export interface JobContext {
  readonly launch: LaunchRescue;
  readonly progress: RescueProgress | undefined;
  readonly outcome: RescueOutcome | undefined;
  readonly error: string | undefined;
}

export type JobEvent =
  | { type: 'PROGRESS'; progress: RescueProgress }
  | { type: 'ENGINE.DONE'; outcome: RescueOutcome }
  | { type: 'ENGINE.FAILED'; error: string }
  | { type: 'STOP' };

type EngineCommand = { type: 'ABORT' };

/** Runs the engine; an ABORT asks it to stop at the next read and save, and it still reports back. */
export const rescueActor = fromCallback<EngineCommand, { launch: LaunchRescue }>(({ input, sendBack, receive }) => {
  const controller = new AbortController();
  receive((cmd) => {
    if (cmd.type === 'ABORT') controller.abort();
  });
  input
    .launch(controller.signal, (progress) => sendBack({ type: 'PROGRESS', progress }))
    .then(
      (outcome) => sendBack({ type: 'ENGINE.DONE', outcome }),
      (err: unknown) => sendBack({ type: 'ENGINE.FAILED', error: err instanceof Error ? err.message : String(err) }),
    );
  return () => controller.abort();
});

export const jobMachine = setup({
  types: {
    context: {} as JobContext,
    events: {} as JobEvent,
    input: {} as { launch: LaunchRescue },
  },
  actors: { rescue: rescueActor },
  actions: {
    keepOutcome: assign(({ event }) =>
      event.type === 'ENGINE.DONE' ? { outcome: event.outcome, progress: event.outcome.progress } : {},
    ),
  },
  guards: {
    finished: ({ event }) => event.type === 'ENGINE.DONE' && event.outcome.kind === 'finished',
  },
}).createMachine({
  id: 'job',
  context: ({ input }) => ({ launch: input.launch, progress: undefined, outcome: undefined, error: undefined }),
  initial: 'running',
  states: {
    running: {
      invoke: { id: 'engine', src: 'rescue', input: ({ context }) => ({ launch: context.launch }) },
      on: {
        PROGRESS: { actions: assign({ progress: ({ event }) => event.progress }) },
        STOP: { actions: sendTo('engine', { type: 'ABORT' }) },
        'ENGINE.DONE': [
          { guard: 'finished', target: 'finished', actions: 'keepOutcome' },
          { target: 'stopped', actions: 'keepOutcome' },
        ],
        'ENGINE.FAILED': { target: 'failed', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    finished: { type: 'final' },
    stopped: { type: 'final' },
    failed: { type: 'final' },
  },
});
