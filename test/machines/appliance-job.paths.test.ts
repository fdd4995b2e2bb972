// The appliance job machine, walked along the paths xstate/graph finds in it, on live actors.
import { describe, expect, it } from 'vitest';
import type { AnyEventObject } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { applianceJobMachine } from '../../machines/appliance-job.machine.ts';
import { jobEvents, jobInput, jobReplay, jobTraversal } from './job-paths.ts';
import { replayPath } from './replay-path.ts';

const stateNames = (paths: { state: { value: unknown } }[]) =>
  [...new Set(paths.map((p) => JSON.stringify(p.state.value)))].sort();

describe.each([
  ['forensic job with a power relay', jobInput()],
  ['recovery job without a relay', jobInput({ mode: 'recovery', hasPowerRelay: false })],
])('%s', (_, input) => {
  const shortest = getShortestPaths(applianceJobMachine, jobTraversal(input));

  it('reaches every state the machine declares, except power cycling without a relay', () => {
    const all = [
      '"aborted"', '"done"', '"failed"', '"preflight"', '"reopening"', '"reporting"', '"verifying"',
      '{"acquiring":"reopened"}', '{"acquiring":"steady"}', '{"paused":"awaitingSpace"}', '{"paused":"holding"}',
    ];
    const withRelay = ['"powerCycling"', '{"acquiring":"powerCycled"}'];
    expect(stateNames(shortest)).toEqual((input.hasPowerRelay ? [...all, ...withRelay] : all).sort());
  });

  it(`replays the ${shortest.length} shortest paths (one per distinct state and hold set)`, async () => {
    for (const p of shortest) await replayPath(p, jobReplay(input));
  });
});

// Simple paths grow fast with the hold combinations: a forensic job gets the operator and hang
// events plus the faults that pause it; a recovery job (fewer holds) also gets what clears them.
const simpleEvents = (types: readonly string[]) =>
  jobEvents.filter((e: AnyEventObject) =>
    types.includes(e.type) && e.output?.writeBlock !== 'unknown' && e.serial !== 'ST-999' &&
    e.state !== 'not-engaged' && !(e.type === 'DEST.SPACE' && e.freeBytes < 3e9));
const CORE = ['xstate.done.actor.preflight', 'ENGINE.DONE', 'ENGINE.HANG', 'xstate.done.actor.reopen', 'xstate.done.actor.powerCycle',
  'xstate.after.hangWindow.job.acquiring.reopened', 'xstate.done.actor.verify', 'xstate.done.actor.report', 'PAUSE', 'RESUME',
  'DRIVE.REMOVED', 'DEST.FULL'];
const CLEARING = ['DRIVE.ATTACHED', 'DEST.SPACE', 'WRITE_BLOCK.CHANGED'];

describe.each([
  ['forensic job with a relay', jobInput(), CORE],
  ['recovery job without a relay', jobInput({ mode: 'recovery', hasPowerRelay: false }), [...CORE, ...CLEARING]],
])('simple paths to done: %s', (_, input, types) => {
  const simple = getSimplePaths(applianceJobMachine, { ...jobTraversal(input, simpleEvents(types)), toState: (s) => s.value === 'done' });

  it(`replays all ${simple.length}`, async () => {
    expect(simple.length).toBeGreaterThan(3);
    for (const p of simple) await replayPath(p, jobReplay(input));
  });
});
