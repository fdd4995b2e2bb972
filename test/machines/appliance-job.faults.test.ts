// One test per fault an appliance job must ride out, on live actors with stubbed work.
import { describe, expect, it } from 'vitest';
import type { ApplianceJobInput } from '../../machines/appliance-job.types.ts';
import { settle } from './actor-stubs.ts';
import { acquired, HANG_WINDOW_MS, jobInput, jobReplay, preflightOk, progress } from './job-paths.ts';
import { startLive } from './replay-path.ts';

/** A job past preflight, with its engine running. */
async function acquiring(over: Partial<ApplianceJobInput> = {}) {
  const input = jobInput(over);
  const live = startLive(jobReplay(input));
  const notes: string[] = [];
  live.actor.on('note', (e) => notes.push(e.message));
  live.stubs.resolve('preflight', preflightOk());
  await settle();
  const snap = () => live.actor.getSnapshot();
  expect(snap().value).toEqual({ acquiring: 'steady' });
  const engine = (type: string, extra: object = {}) => live.stubs.sendFrom('acquire', { type, ...extra });
  return { ...live, snap, engine, notes, send: live.actor.send.bind(live.actor) };
}

describe('drive removed mid-job', () => {
  it('pauses (the engine is stopped) and resumes when the same drive comes back', async () => {
    const j = await acquiring({ mode: 'recovery' });
    j.engine('PROGRESS', { progress });
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    expect(j.snap().value).toEqual({ paused: 'holding' });
    expect(j.snap().context.pause).toMatchObject({ reason: 'drive-removed', message: expect.stringMatching(/WD-123.*port 2/) });
    expect(j.stubs.runs('acquire')[0].aborted).toBe(true);
    j.send({ type: 'DRIVE.ATTACHED', serial: 'WD-123' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
    expect(j.snap().context.pause).toBeUndefined();
    expect(j.stubs.runs('acquire')).toHaveLength(2);
    expect(j.snap().context.progress).toEqual(progress);
  });

  it('a different drive on the port does not resume the job', async () => {
    const j = await acquiring({ mode: 'recovery' });
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    j.send({ type: 'DRIVE.ATTACHED', serial: 'ST-999' });
    expect(j.snap().context.pause?.reason).toBe('drive-removed');
    expect(j.stubs.running()).toEqual([]);
    expect(j.notes.at(-1)).toMatch(/different drive \(ST-999\).*waiting for WD-123/);
  });

  it('in a forensic job the returning drive must also show an engaged write block', async () => {
    const j = await acquiring();
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    j.send({ type: 'DRIVE.ATTACHED', serial: 'WD-123' });
    expect(j.snap().context.pause?.reason).toBe('write-block-lost');
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'engaged' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
  });

  it('an operator pause outlasts the drive coming back', async () => {
    const j = await acquiring({ mode: 'recovery' });
    j.send({ type: 'PAUSE' });
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    j.send({ type: 'DRIVE.ATTACHED', serial: 'WD-123' });
    expect(j.snap().context.pause?.reason).toBe('operator');
    j.send({ type: 'RESUME' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
  });
});

describe('write block lost', () => {
  it('halts a forensic job, which only an engaged write block resumes', async () => {
    const j = await acquiring();
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' });
    expect(j.snap().context.pause).toMatchObject({ reason: 'write-block-lost', message: expect.stringMatching(/not-engaged during a forensic/) });
    expect(j.stubs.running()).toEqual([]);
    j.send({ type: 'RESUME' });
    expect(j.snap().context.pause?.reason).toBe('write-block-lost');
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'unknown' });
    expect(j.snap().context.holds['write-block-lost']).toEqual({ state: 'unknown' });
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'engaged' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
  });

  it('a recovery job carries on and logs it', async () => {
    const j = await acquiring({ mode: 'recovery' });
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'not-engaged' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
    expect(j.stubs.runs('acquire')).toHaveLength(1);
    expect(j.notes).toEqual(['Write block on port 2 is now not-engaged (recovery job: carrying on).']);
    expect(j.snap().context.notes).toEqual(j.notes);
  });
});

describe('destination full', () => {
  it.each([
    ['ENGINE.FAILED ENOSPC', { type: 'ENGINE.FAILED', error: 'ENOSPC', code: 'ENOSPC', bytesNeeded: 3e9 }],
    ['DEST.FULL', { type: 'DEST.FULL', bytesNeeded: 3e9 }],
  ])('%s pauses, watches the space, and resumes once there is enough', async (_, event) => {
    const j = await acquiring();
    j.engine(event.type, event);
    expect(j.snap().value).toEqual({ paused: 'awaitingSpace' });
    expect(j.stubs.current('watchSpace').input).toEqual({ jobId: 'j1', port: '2', destination: '/srv/cases/42', bytesNeeded: 3e9 });
    j.stubs.sendFrom('watchSpace', { type: 'DEST.SPACE', freeBytes: 1e9 });
    expect(j.snap().context.holds['destination-full']).toEqual({ bytesNeeded: 3e9, freeBytes: 1e9 });
    expect(j.snap().context.pause?.message).toMatch(/needs 3000 MB free \(now 1000 MB\)/);
    j.stubs.sendFrom('watchSpace', { type: 'DEST.SPACE', freeBytes: 3e9 });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
    expect(j.stubs.running()).toEqual(['acquire']);
    expect(j.stubs.runs('acquire')).toHaveLength(2);
  });

  it('any other engine failure fails the job with its message', async () => {
    const j = await acquiring();
    j.engine('ENGINE.FAILED', { error: 'EIO writing the image' });
    expect(j.snap().value).toBe('failed');
    expect(j.snap().context.error).toBe('EIO writing the image');
  });
});

describe('read hang', () => {
  it('reopens, then power-cycles when it hangs again within the window, then carries on', async () => {
    const j = await acquiring();
    j.engine('ENGINE.HANG', { detail: 'read at 0x1000 hung' });
    expect(j.snap().value).toBe('reopening');
    expect(j.stubs.current('reopen').input).toMatchObject({ port: '2', source: { serial: 'WD-123', path: '/dev/sdb' } });
    j.stubs.resolve('reopen', undefined);
    await settle();
    expect(j.snap().value).toEqual({ acquiring: 'reopened' });
    j.clock.increment(HANG_WINDOW_MS - 1);
    j.engine('ENGINE.HANG', { detail: 'again' });
    expect(j.snap().value).toBe('powerCycling');
    // The drive drops off the bus while its power is off: that is expected, not a removal.
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    j.send({ type: 'DRIVE.ATTACHED', serial: 'WD-123' });
    j.send({ type: 'WRITE_BLOCK.CHANGED', state: 'engaged' });
    expect(j.snap().value).toBe('powerCycling');
    j.stubs.resolve('powerCycle', undefined);
    await settle();
    expect(j.snap().value).toEqual({ acquiring: 'powerCycled' });
    expect(j.stubs.runs('acquire')).toHaveLength(3);
    expect(j.snap().context.hangs).toBe(2);
  });

  it('a hang after the window has passed starts over with a reopen', async () => {
    const j = await acquiring();
    j.engine('ENGINE.HANG', { detail: 'x' });
    j.stubs.resolve('reopen', undefined);
    await settle();
    j.clock.increment(HANG_WINDOW_MS);
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
    j.engine('ENGINE.HANG', { detail: 'y' });
    expect(j.snap().value).toBe('reopening');
  });

  it('without a power relay a second hang pauses the job as drive-unresponsive until the operator resumes', async () => {
    const j = await acquiring({ hasPowerRelay: false });
    j.engine('ENGINE.HANG', { detail: 'x' });
    j.stubs.resolve('reopen', undefined);
    await settle();
    j.engine('ENGINE.HANG', { detail: 'y' });
    expect(j.snap().value).toEqual({ paused: 'holding' });
    expect(j.snap().context.pause).toMatchObject({ reason: 'drive-unresponsive', message: expect.stringMatching(/after 2 hung reads/) });
    expect(j.stubs.runs('powerCycle')).toHaveLength(0);
    j.send({ type: 'RESUME' });
    expect(j.snap().value).toEqual({ acquiring: 'steady' });
  });

  it('a drive that does not come back from a power cycle leaves the job paused as removed', async () => {
    const j = await acquiring({ mode: 'recovery' });
    j.engine('ENGINE.HANG', { detail: 'x' });
    j.stubs.reject('reopen', new Error('open: ENXIO'));
    await settle();
    expect(j.snap().value).toBe('powerCycling');
    j.send({ type: 'DRIVE.REMOVED', serial: 'WD-123' });
    j.stubs.resolve('powerCycle', undefined);
    await settle();
    expect(j.snap().context.pause?.reason).toBe('drive-removed');
  });
});

describe('the rest of a job', () => {
  it('verifies, reports and ends done, handing each actor what came before', async () => {
    const j = await acquiring();
    j.engine('ENGINE.DONE', { summary: acquired });
    expect(j.stubs.current('verify').input).toMatchObject({ jobId: 'j1', acquired });
    j.send({ type: 'PAUSE' });
    j.send({ type: 'RESUME' });
    expect(j.stubs.runs('verify')).toHaveLength(2);
    j.stubs.resolve('verify', { ok: false, summary: 'SHA-1 differs in segment 3' });
    await settle();
    expect(j.stubs.current('report').input).toMatchObject({ verification: { ok: false }, notes: ['Paused by the operator.'] });
    j.stubs.resolve('report', { paths: ['/srv/cases/42/report.html'] });
    await settle();
    expect(j.snap().value).toBe('done');
    expect(j.snap().context.report?.paths).toEqual(['/srv/cases/42/report.html']);
  });

  it('ABORT ends the job from a pause, with nothing left running', async () => {
    const j = await acquiring();
    j.engine('DEST.FULL', { bytesNeeded: 1 });
    j.send({ type: 'ABORT' });
    expect(j.snap().value).toBe('aborted');
    expect(j.stubs.running()).toEqual([]);
  });
});
