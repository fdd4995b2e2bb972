// Each fault the appliance job handles, driven through the machines with the emulated devices:
// a pulled drive, a write block lost mid-acquisition, a full destination (a real tmpfs), and hung
// reads escalated to a reopen and then a power cycle through the USB relay.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { liveAppliance } from './live-appliance.ts';

type Live = Awaited<ReturnType<typeof liveAppliance>>;
let live: Live | undefined;
afterEach(async () => {
  await live?.close();
  live = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rescued = (l: Live, id: string) => l.trace(id)?.progress?.rescued ?? 0;

describe('appliance job faults, on the emulated appliance', () => {
  it('drive pulled: pauses, stands still, and resumes to the end when the same drive is back', async () => {
    live = await liveAppliance({ speed: 4000 });
    const l = live;
    await l.readyPorts();
    const id = l.start(l.request('2', 'recovery', 'pulled'));
    await l.until('some bytes rescued', () => rescued(l, id) > 4 << 20);
    l.emu.unplug('2');
    await l.until('paused for the drive', () => l.job(id).context.pause?.reason === 'drive-removed');
    await l.until('the run to stop', () => !l.trace(id)!.running);
    const held = rescued(l, id);
    await sleep(600);
    expect(rescued(l, id)).toBe(held);
    expect(l.job(id).context.pause!.message).toMatch(/removed from port 2/);
    l.emu.plug('2');
    expect(await l.finished(id), l.job(id).context.error).toBe('done');
    const c = l.job(id).context;
    expect(c.verification?.ok).toBe(true);
    expect(c.notes.join('\n')).toMatch(/removed/);
    const report = await readFile(l.trace(id)!.settings.files.report, 'utf8');
    expect(report).toMatch(/removed from port 2/);
  }, 120_000);

  it('write block lost in a forensic job: halts, RESUME alone does not resume, resumes once engaged', async () => {
    // Paced to about 3 s for port 4's 63 MiB, so the block drops while the drive is being read.
    live = await liveAppliance({ speed: 0.15 });
    const l = live;
    await l.readyPorts();
    const id = l.start(l.request('4', 'forensic', 'wb', { format: 'raw', hashes: ['md5', 'sha256'], case: { caseNumber: 'C', evidenceNumber: 'E', examiner: 'x', notes: '' } }));
    await l.until('some bytes read', () => rescued(l, id) > 4 << 20);
    l.emu.setKernelRo('4', false);
    await l.until('halted for the write block', () => l.job(id).context.pause?.reason === 'write-block-lost');
    await l.until('the run to stop', () => !l.trace(id)!.running);
    expect(rescued(l, id)).toBeLessThan(63 << 20);
    l.app.actor.send({ type: 'RESUME_JOB', jobId: id });
    await sleep(400);
    expect(l.stateOf(id)).toBe('paused');
    expect(l.job(id).context.pause?.reason).toBe('write-block-lost');
    l.emu.setKernelRo('4', true);
    expect(await l.finished(id), l.job(id).context.error).toBe('done');
    expect(l.job(id).context.verification?.ok).toBe(true);
    const files = l.trace(id)!.settings.files;
    const md5 = execFileSync('md5sum', [files.image], { encoding: 'utf8' }).split(' ')[0];
    expect(l.job(id).context.acquired!.hashes.md5).toBe(md5);
  }, 120_000);

  it('destination full (a real 8 MiB tmpfs): pauses saying what it needs, resumes when there is room', async (ctx) => {
    live = await liveAppliance({ speed: 0 });
    const l = live;
    const mnt = join(l.dir, 'small');
    await mkdir(mnt);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]).status !== 0) {
      ctx.skip(); // needs root and tmpfs: both are there on our machines
      return;
    }
    try {
      await l.readyPorts();
      const r = { ...l.request('2', 'recovery', 'x'), destination: join(mnt, 'full.img') };
      const id = l.start(r);
      await l.until('paused for room', () => l.job(id).context.pause?.reason === 'destination-full');
      expect(l.job(id).context.pause!.message).toMatch(/needs 33\.6 MB free \(now 8\.\d+ MB|needs 33\.6 MB free \(now 83\d\d kB/);
      execFileSync('mount', ['-o', 'remount,size=128m', mnt]);
      expect(await l.finished(id), l.job(id).context.error).toBe('done');
      expect(l.job(id).context.verification?.ok).toBe(true);
    } finally {
      await l.app.stop();
      spawnSync('umount', [mnt]);
    }
  }, 120_000);

  it('hung reads: reopen first, then a power cycle through the USB relay, then back to work', async () => {
    live = await liveAppliance({
      speed: 0, hangWindowMs: 60_000,
      ports: [{ port: '5', url: 'emu:hang?seed=8&size=4M&count=1', recording: 'scrutiny-ata-wdc-healthy.json', relay: true }],
    });
    const l = live;
    await l.until('port 5 ready', () => l.port('5')?.value === 'ready');
    const base = l.request('5', 'recovery', 'hang');
    const id = l.start({ ...base, recovery: { ...base.recovery, readTimeoutSec: 1 } });
    const seen: string[] = [];
    l.app.actor.getSnapshot().context.jobs[id].ref.subscribe((s) => {
      const v = typeof s.value === 'string' ? s.value : Object.keys(s.value)[0];
      if (seen.at(-1) !== v) seen.push(v);
    });
    const board = l.emu.relay('5')!;
    const reportsBefore = board.sent.length;
    // Each hang costs the drive a reopen, then a power cycle; past that the operator is asked.
    while (!['done', 'failed', 'aborted'].includes(l.stateOf(id))) {
      if (l.job(id).context.pause?.reason === 'drive-unresponsive') l.app.actor.send({ type: 'RESUME_JOB', jobId: id });
      await sleep(50);
    }
    expect(l.stateOf(id)).toBe('done');
    const reopen = seen.indexOf('reopening');
    const cycle = seen.indexOf('powerCycling');
    expect(reopen).toBeGreaterThanOrEqual(0);
    expect(cycle).toBeGreaterThan(reopen);
    expect(board.sent.length - reportsBefore).toBeGreaterThanOrEqual(2);
    expect(board.mask & 1).toBe(1);
    expect(l.job(id).context.hangs).toBeGreaterThanOrEqual(2);
    expect(l.job(id).context.notes.join('\n')).toMatch(/Read hang 2 on port 5/);
  }, 120_000);
});
