// Walks a path that xstate/graph computed from a machine's own transitions, but on a live actor
// whose named actors are stubs: an actor's done/error event is produced by settling that stub,
// an engine event is sent back by the running callback actor, a delay passes on a SimulatedClock.
// After every step the live snapshot must match the computed one, and exactly the invoked actors
// must be running, so a path fails when the wiring (not just the transition table) is wrong.
import { expect } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import type { AnyMachineSnapshot, AnyStateMachine, EventObject, SnapshotFrom } from 'xstate';
import type { StatePath } from 'xstate/graph';
import { ActorStubs, settle } from './actor-stubs.ts';

export interface ReplayOptions<M extends AnyStateMachine> {
  readonly machine: M;
  readonly input: unknown;
  readonly promises: readonly string[];
  readonly callbacks: readonly string[];
  /** Event type -> the callback actor that sends it (PROGRESS comes from 'acquire'). */
  readonly sentBy: Readonly<Record<string, string>>;
  /** Delay name -> milliseconds, to advance the clock for xstate.after events. */
  readonly delays?: Readonly<Record<string, number>>;
  /** The part of the snapshot that must match (value is always compared). */
  readonly project: (s: SnapshotFrom<M>) => unknown;
}

export function startLive<M extends AnyStateMachine>(opts: Omit<ReplayOptions<M>, 'sentBy' | 'project' | 'delays'>) {
  const stubs = new ActorStubs();
  const clock = new SimulatedClock();
  const machine = opts.machine.provide({ actors: stubs.actors(opts.promises, opts.callbacks) as never });
  const actor = createActor(machine, { input: opts.input, clock });
  actor.start();
  return { stubs, clock, actor };
}

export async function replayPath<M extends AnyStateMachine>(
  path: StatePath<SnapshotFrom<M>, EventObject>,
  opts: ReplayOptions<M>,
): Promise<void> {
  const { stubs, clock, actor } = startLive(opts);
  const stubbed = new Set([...opts.promises, ...opts.callbacks]);
  for (const [i, step] of path.steps.entries()) {
    const where = `step ${i} (${step.event.type})`;
    perform(step.event);
    await settle();
    const live = actor.getSnapshot() as AnyMachineSnapshot;
    expect(live.value, where).toEqual((step.state as AnyMachineSnapshot).value);
    expect(opts.project(live as SnapshotFrom<M>), where).toEqual(opts.project(step.state));
    if (live.status === 'active') {
      const invoked = Object.keys(live.children).filter((id) => stubbed.has(id)).sort();
      expect(stubs.running(), `${where}: running actors`).toEqual(invoked);
    } else {
      expect(stubs.running(), `${where}: actors left running after the end`).toEqual([]);
    }
  }
  actor.stop();

  function perform(event: EventObject & { output?: unknown; error?: unknown }): void {
    const m = /^xstate\.(done|error|after)\.(?:actor\.)?([^.]+)/.exec(event.type);
    if (event.type === 'xstate.init') return;
    if (m?.[1] === 'done') stubs.resolve(m[2], event.output);
    else if (m?.[1] === 'error') stubs.reject(m[2], event.error);
    else if (m?.[1] === 'after') clock.increment(opts.delays?.[m[2]] ?? Number(m[2]));
    else if (opts.sentBy[event.type]) stubs.sendFrom(opts.sentBy[event.type], event);
    else actor.send(event);
  }
}

/** The actor an event comes from: a promise actor's done/error, or a callback actor that sends it. */
function sourceOf(type: string, sentBy: Readonly<Record<string, string>>): string | undefined {
  return /^xstate\.(?:done|error)\.actor\.(.+)$/.exec(type)?.[1] ?? sentBy[type];
}

/** Offers an actor's events only in states where that actor runs, as in the real appliance. */
export function eventsWhereSent<S extends { children: Record<string, unknown> }, E extends EventObject>(
  events: readonly EventObject[],
  sentBy: Readonly<Record<string, string>>,
): (s: S) => E[] {
  return (s) =>
    events.filter((e) => {
      const source = sourceOf(e.type, sentBy);
      return source === undefined || s.children[source] !== undefined;
    }) as E[];
}

/** State key for traversal: the value plus what the test names, so paths stay few. */
export function keyOf(value: unknown, ...parts: unknown[]): string {
  return JSON.stringify([value, ...parts]);
}
