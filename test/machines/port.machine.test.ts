// The port machine, walked along every path xstate/graph finds in it, then case by case.
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback } from 'xstate';
import type { AnyEventObject } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { DriveIdentity, PortEvent, PortInput, PortPreflight } from '../../machines/port.machine.ts';
import { portMachine } from '../../machines/port.machine.ts';
import { settle } from './actor-stubs.ts';
import { eventsWhereSent, keyOf, replayPath, startLive } from './replay-path.ts';

const identity: DriveIdentity = { serial: 'WD-123', model: 'WDC WD10EZEX', sizeBytes: 1e12, logicalSectorSize: 512, transport: 'usb' };
const preflight = (writeBlock: PortPreflight['writeBlock']): PortPreflight => ({
  writeBlock, smartVerdict: 'failing', smartSummary: 'SMART: failing (8 pending sectors)', hiddenAreas: 'HPA: none; DCO: none',
});
const input: PortInput = { port: '2', drive: { path: '/dev/sdb', serial: 'WD-123' } };

const events: AnyEventObject[] = [
  { type: 'xstate.done.actor.identify', output: identity },
  { type: 'xstate.error.actor.identify', error: new Error('no answer to IDENTIFY') },
  { type: 'xstate.done.actor.preflight', output: preflight('engaged') },
  { type: 'xstate.error.actor.preflight', error: new Error('smartctl timed out') },
  { type: 'JOB.STARTED', jobId: 'j1' },
  { type: 'JOB.ENDED', jobId: 'j1' },
  { type: 'RETRY' },
  { type: 'DETACHED' },
  { type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' },
];
type Snap = ReturnType<typeof portMachine.getInitialSnapshot>;
const project = (s: Snap) => ({ jobId: s.context.jobId ?? null, writeBlock: s.context.writeBlock, serial: s.context.identity?.serial ?? null });
const sentBy = { 'WRITE_BLOCK.CHANGED': 'watchWriteBlock' };
const traversal = {
  events: eventsWhereSent<Snap, PortEvent>(events, sentBy),
  input,
  serializeState: (s: Snap) => keyOf(s.value, project(s)),
  stopWhen: (s: Snap) => s.status === 'done',
};
const replay = { machine: portMachine, input, promises: ['identify', 'preflight'], callbacks: ['watchWriteBlock'], sentBy, project };

describe('port machine paths', () => {
  const shortest = getShortestPaths(portMachine, traversal);
  // Every way to the end of a port's life that visits no state twice (write-block changes, which
  // only multiply the paths, are left to the shortest paths).
  const lifecycle = events.filter((e) => e.type !== 'WRITE_BLOCK.CHANGED');
  const simple = getSimplePaths(portMachine, {
    ...traversal, events: eventsWhereSent<Snap, PortEvent>(lifecycle, sentBy), toState: (s: Snap) => s.value === 'gone',
  });

  it('reaches every state', () => {
    const reached = new Set(shortest.map((p) => String(p.state.value)));
    expect([...reached].sort()).toEqual(['busy', 'faulted', 'gone', 'identify', 'preflight', 'ready']);
  });

  it.each(shortest.map((p) => [p.steps.map((s) => s.event.type).join(' > '), p] as const))('shortest: %s', async (_, p) => {
    await replayPath(p, replay);
  });

  it(`replays all ${simple.length} simple paths to gone`, async () => {
    expect(simple.length).toBeGreaterThan(shortest.length);
    for (const p of simple) await replayPath(p, replay);
  });
});

describe('port machine', () => {
  it('keeps summaries of identify and preflight, and tells its parent the write-block state', async () => {
    const heard: unknown[] = [];
    const parent = createActor(fromCallback<AnyEventObject>(({ receive }) => receive((e) => heard.push(e)))).start();
    const { stubs, actor } = startLive({ machine: portMachine, input: { ...input, parent }, promises: ['identify', 'preflight'], callbacks: ['watchWriteBlock'] });
    expect(stubs.current('identify').input).toEqual({ port: '2', drive: input.drive });
    stubs.resolve('identify', identity);
    await settle();
    expect(stubs.current('preflight').input).toMatchObject({ identity });
    stubs.resolve('preflight', preflight('engaged'));
    await settle();
    expect(actor.getSnapshot().value).toBe('ready');
    expect(actor.getSnapshot().context.preflight?.smartVerdict).toBe('failing');
    stubs.sendFrom('watchWriteBlock', { type: 'WRITE_BLOCK.CHANGED', state: 'unknown' });
    expect(heard).toEqual([
      { type: 'PORT.WRITE_BLOCK', port: '2', state: 'engaged' },
      { type: 'PORT.WRITE_BLOCK', port: '2', state: 'unknown' },
    ]);
  });

  it('a watcher reading taken during preflight is newer than preflight\'s own', async () => {
    const { stubs, actor } = startLive({ machine: portMachine, input, promises: ['identify', 'preflight'], callbacks: ['watchWriteBlock'] });
    stubs.resolve('identify', identity);
    await settle();
    stubs.sendFrom('watchWriteBlock', { type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' });
    stubs.resolve('preflight', preflight('engaged'));
    await settle();
    expect(actor.getSnapshot().context.writeBlock).toBe('not-engaged');
  });

  it('a drive put back while its job holds the port goes straight to busy, and ready when the job ends', async () => {
    const { stubs, actor } = startLive({ machine: portMachine, input: { ...input, jobId: 'j7' }, promises: ['identify', 'preflight'], callbacks: ['watchWriteBlock'] });
    stubs.resolve('identify', identity);
    await settle();
    stubs.resolve('preflight', preflight('engaged'));
    await settle();
    expect(actor.getSnapshot().value).toBe('busy');
    actor.send({ type: 'JOB.ENDED', jobId: 'other' });
    expect(actor.getSnapshot().value).toBe('busy');
    actor.send({ type: 'JOB.ENDED', jobId: 'j7' });
    expect(actor.getSnapshot().value).toBe('ready');
  });

  it('without provided actors it fails at once, naming the missing one', async () => {
    const actor = createActor(portMachine, { input });
    const errors: unknown[] = [];
    actor.subscribe({ error: (e) => errors.push(e) });
    actor.start();
    await settle();
    expect(String(errors[0])).toMatch(/'watchWriteBlock' is not provided/);
  });
});
