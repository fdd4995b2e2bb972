// Machines name their actors; the CLI, the UI and tests supply them with machine.provide().
// Until then each name stands for an actor that fails at once, saying which one is missing,
// so a forgotten wiring shows up as a clear error instead of a job that waits forever.
import { fromCallback, fromPromise } from 'xstate';
import type { EventObject } from 'xstate';

function missing(name: string): Error {
  return new Error(`machine actor '${name}' is not provided: pass it with machine.provide({ actors: { ${name} } })`);
}

export function unprovidedPromise<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(() => Promise.reject(missing(name)));
}

export function unprovidedCallback<TInput, TEvent extends EventObject = EventObject>(name: string) {
  return fromCallback<TEvent, TInput>(() => {
    throw missing(name);
  });
}
