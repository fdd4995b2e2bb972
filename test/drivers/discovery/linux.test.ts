// The real binding's ways of noticing, each alone: a block node appearing in and leaving a /dev
// (fs.watch; the fake sysfs has no uevent counter, and the safety poll is set beyond the test),
// and the safety poll alone when /dev cannot be watched.

import { mkdtemp, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { linuxDiscovery } from '../../../drivers/discovery/linux.ts';
import { runOk } from '../../../hil/kernel-tools.ts';
import { addDisk, fakeSysfs } from '../../helpers/fake-sysfs.ts';
import { eventRecorder } from './event-recorder.ts';

const canMknod = process.getuid?.() === 0;
let root: string;
let devDir: string;
const stops: AbortController[] = [];

beforeAll(async () => {
  root = await fakeSysfs();
  devDir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-dev-'));
});
afterEach(() => stops.splice(0).forEach((c) => c.abort()));
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(devDir, { recursive: true, force: true });
});

const noLsblk = () => Promise.resolve([]);

function start(opts: { devDir: string; safetyPollMs: number }) {
  const rec = eventRecorder();
  const notes: string[] = [];
  const ctl = new AbortController();
  stops.push(ctl);
  const w = linuxDiscovery({ sysRoot: root, drivelist: noLsblk, ...opts }).watch({ signal: ctl.signal, onEvent: rec.onEvent, onNotes: (n) => notes.push(...n) });
  return { rec, notes, w };
}

describe('linux discovery binding, one trigger at a time', () => {
  it.skipIf(!canMknod)('notices a block node created in and removed from /dev (mknod needs root)', async () => {
    const { rec, notes, w } = start({ devDir, safetyPollMs: 60_000 });
    await w.ready;
    await addDisk(root, { name: 'sdx', devpath: 'devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sdx', attrs: { dev: '8:240\n', size: '2048\n', removable: '0\n' } });
    let since = performance.now();
    await runOk('mknod', [path.join(devDir, 'sdx'), 'b', '8', '240']);
    const attached = await rec.waitFor((e) => e.type === 'attach' && e.drive.name === 'sdx', since, 2000);
    expect(attached.event.drive).toMatchObject({ transport: 'ata', size: 1024 * 1024 });
    await rm(path.join(root, 'block', 'sdx'));
    since = performance.now();
    await unlink(path.join(devDir, 'sdx'));
    await rec.waitFor((e) => e.type === 'detach' && e.drive.name === 'sdx', since, 2000);
    expect(notes.some((n) => /uevent_seqnum .*ENOENT.*polling only/.test(n))).toBe(true);
  });

  it('falls back to the safety poll when /dev cannot be watched, and says so', async () => {
    const { rec, notes, w } = start({ devDir: path.join(devDir, 'missing'), safetyPollMs: 300 });
    await w.ready;
    const since = performance.now();
    await addDisk(root, { name: 'loop6', devpath: 'devices/virtual/block/loop6', attrs: { dev: '7:6\n', size: '2048\n', 'loop/backing_file': '/tmp/x.img\n' } });
    await rec.waitFor((e) => e.type === 'attach' && e.drive.name === 'loop6', since, 2000);
    expect(notes.some((n) => n.startsWith(`cannot watch ${path.join(devDir, 'missing')} (ENOENT`))).toBe(true);
  });
});
