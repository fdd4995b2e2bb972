// Stand-ins for a machine's named actors that the test drives by hand: a promise actor settles when
// the test says so, a callback actor sends back what the test hands it. Each records its runs, so
// a test can see that leaving a state really stopped the actor, and that resuming started it again.
import { fromCallback, fromPromise } from 'xstate';
import type { AnyActorLogic, AnyEventObject, EventObject } from 'xstate';

interface Run {
  readonly input: unknown;
  running: boolean;
  aborted: boolean;
}
interface PromiseRun extends Run {
  resolve(output: unknown): void;
  reject(error: unknown): void;
}
interface CallbackRun extends Run {
  sendBack(event: EventObject): void;
}

export class ActorStubs {
  /** Where several machines share one set of stubs, a key such as 'acquire@2' tells their runs apart. */
  private readonly keyOf: (name: string, input: unknown) => string;
  constructor(keyOf: (name: string, input: unknown) => string = (name) => name) {
    this.keyOf = keyOf;
  }

  readonly promiseRuns = new Map<string, PromiseRun[]>();
  readonly callbackRuns = new Map<string, CallbackRun[]>();

  promise(name: string): AnyActorLogic {
    return fromPromise(({ input, signal }) =>
      new Promise((resolve, reject) => {
        const run: PromiseRun = {
          input, running: true, aborted: false,
          resolve: (v) => { run.running = false; resolve(v); },
          reject: (e) => { run.running = false; reject(e); },
        };
        signal.addEventListener('abort', () => { run.running = false; run.aborted = true; });
        this.push(this.promiseRuns, this.keyOf(name, input), run);
      }),
    );
  }

  callback(name: string): AnyActorLogic {
    return fromCallback(({ input, sendBack }) => {
      const run: CallbackRun = { input, running: true, aborted: false, sendBack };
      this.push(this.callbackRuns, this.keyOf(name, input), run);
      return () => { run.running = false; run.aborted = true; };
    });
  }

  /** Builds the actors object for machine.provide(). */
  actors(promises: readonly string[], callbacks: readonly string[]): Record<string, AnyActorLogic> {
    const out: Record<string, AnyActorLogic> = {};
    for (const n of promises) out[n] = this.promise(n);
    for (const n of callbacks) out[n] = this.callback(n);
    return out;
  }

  runs(name: string): readonly Run[] {
    return this.promiseRuns.get(name) ?? this.callbackRuns.get(name) ?? [];
  }

  /** The run now going; throws when the actor is not running, which is what a test wants to hear. */
  current(name: string): Run {
    const run = this.runs(name).at(-1);
    if (!run?.running) throw new Error(`actor '${name}' is not running (runs: ${this.runs(name).length})`);
    return run;
  }

  running(): string[] {
    const names = [...this.promiseRuns.keys(), ...this.callbackRuns.keys()];
    return names.filter((n) => this.runs(n).some((r) => r.running)).sort();
  }

  resolve(name: string, output: unknown): void {
    (this.current(name) as PromiseRun).resolve(output);
  }

  reject(name: string, error: unknown): void {
    (this.current(name) as PromiseRun).reject(error);
  }

  sendFrom(name: string, event: AnyEventObject): void {
    (this.current(name) as CallbackRun).sendBack(event);
  }

  private push<T>(map: Map<string, T[]>, name: string, run: T): void {
    map.set(name, [...(map.get(name) ?? []), run]);
  }
}

/** Lets settled promises deliver their done events to the machine. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}
