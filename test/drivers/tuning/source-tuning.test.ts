// Source tuning against a fake sysfs tree: a SCSI disk (device/timeout and readahead) and a loop
// device (readahead only), with the audit log read back from its file.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../controller/logger.ts';
import { readTuning, restoreFromStateFile, tuneSource } from '../../../drivers/tuning/source-tuning.ts';
import { parseTuningState } from '../../../drivers/tuning/tuning-state.ts';
import { addDisk, fakeSysfs, writeAt } from '../../helpers/fake-sysfs.ts';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'imagebox-tuning-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));
let root: string;
let auditFile: string;
let n = 0;

const SDB = 'devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb';

beforeEach(async () => {
  root = await fakeSysfs();
  auditFile = path.join(tmp, `audit-${n++}.log`);
  await addDisk(root, { name: 'sdb', devpath: SDB, device: SDB.replace(/\/block\/sdb$/, ''), attrs: { diskseq: '9\n', 'device/timeout': '30\n', 'queue/read_ahead_kb': '128\n' } });
  await addDisk(root, { name: 'loop5', devpath: 'devices/virtual/block/loop5', attrs: { diskseq: '41\n', 'queue/read_ahead_kb': '128\n' } });
});

const audit = () => createLogger({ file: auditFile });
const auditLines = async () => (await readFile(auditFile, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const attr = (dev: string, a: string) => readFile(path.join(root, 'block', dev, a), 'utf8').then((t) => t.trim());

describe('tuneSource on a fake sysfs tree', () => {
  it('sets the command timeout and turns readahead off, then puts both back once', async () => {
    const t = await tuneSource('sdb', { sysRoot: root, commandTimeoutSeconds: 7, audit: audit() });
    expect(t.steps).toEqual([
      { attr: 'device/timeout', outcome: 'set', from: 30, to: 7 },
      { attr: 'queue/read_ahead_kb', outcome: 'set', from: 128, to: 0 },
    ]);
    expect(await readTuning('sdb', root)).toEqual({ commandTimeoutSeconds: 7, readAheadKb: 0 });
    const first = await t.release();
    expect(first).toEqual([
      { attr: 'device/timeout', outcome: 'restored', value: 30 },
      { attr: 'queue/read_ahead_kb', outcome: 'restored', value: 128 },
    ]);
    expect(await t.release()).toBe(first);
    expect([await attr('sdb', 'device/timeout'), await attr('sdb', 'queue/read_ahead_kb')]).toEqual(['30', '128']);
    expect((await auditLines()).map((l) => `${l.act} ${l.attr} ${l.from}->${l.to}`)).toEqual([
      'tune device/timeout 30->7', 'tune queue/read_ahead_kb 128->0',
      'tuning-restore device/timeout 7->30', 'tuning-restore queue/read_ahead_kb 0->128',
    ]);
  });

  it('says the timeout is not applicable to a loop device and tunes its readahead', async () => {
    const t = await tuneSource('/dev/loop5', { sysRoot: root, audit: audit() });
    expect(t.steps).toEqual([
      { attr: 'device/timeout', outcome: 'not applicable', note: 'loop5 has no SCSI command timeout (loop, NVMe and virtio disks have none)' },
      { attr: 'queue/read_ahead_kb', outcome: 'set', from: 128, to: 0 },
    ]);
    expect(await t.release()).toEqual([{ attr: 'queue/read_ahead_kb', outcome: 'restored', value: 128 }]);
  });

  it('leaves a value someone else changed meanwhile, and says so in the audit log', async () => {
    const t = await tuneSource('sdb', { sysRoot: root, audit: audit() });
    await writeAt(root, `${SDB}/queue/read_ahead_kb`, '64\n');
    expect(await t.release()).toEqual([
      { attr: 'device/timeout', outcome: 'restored', value: 30 },
      { attr: 'queue/read_ahead_kb', outcome: 'left', note: 'queue/read_ahead_kb is 64, not the 0 tuning set: changed by someone else' },
    ]);
    expect(await attr('sdb', 'queue/read_ahead_kb')).toBe('64');
    expect((await auditLines()).at(-1)).toMatchObject({ level: 40, act: 'tuning-restore', attr: 'queue/read_ahead_kb', msg: 'source tuning left as it is' });
  });

  it('reports an unreadable attribute as failed, in the audit log too, and tunes the rest', async () => {
    await rm(path.join(root, SDB, 'device', 'timeout'));
    await mkdir(path.join(root, SDB, 'device', 'timeout'));
    const t = await tuneSource('sdb', { sysRoot: root, audit: audit() });
    expect(t.steps.map((s) => `${s.attr} ${s.outcome}`)).toEqual(['device/timeout failed', 'queue/read_ahead_kb set']);
    expect((await auditLines())[0]).toMatchObject({ level: 50, act: 'tune', attr: 'device/timeout', msg: 'source tuning failed' });
  });

  it('refuses a name that is not a whole disk', async () => {
    await expect(tuneSource('sdb1', { sysRoot: root, audit: audit() })).rejects.toThrow(/^sdb1: no .*block\/sdb1 \(tuning takes a whole disk/);
  });
});

describe('the state file, for a run that crashed while tuned', () => {
  it('holds the old values while tuned; restoreFromStateFile puts them back and removes it', async () => {
    const stateFile = path.join(tmp, `state-${n}.json`);
    await tuneSource('sdb', { sysRoot: root, stateFile, audit: audit() });
    const saved = parseTuningState(await readFile(stateFile, 'utf8'), stateFile);
    expect(saved).toMatchObject({ device: 'sdb', diskseq: '9', settings: [{ attr: 'device/timeout', from: 30, to: 10 }, { attr: 'queue/read_ahead_kb', from: 128, to: 0 }] });
    expect(await restoreFromStateFile(stateFile, { audit: audit() })).toHaveLength(2);
    expect([await attr('sdb', 'device/timeout'), await attr('sdb', 'queue/read_ahead_kb')]).toEqual(['30', '128']);
    await expect(readFile(stateFile)).rejects.toThrow(/ENOENT/);
    expect(await restoreFromStateFile(stateFile, { audit: audit() })).toEqual([]);
  });

  it('recovers a crashed run before tuning again, so release puts back the original values', async () => {
    const stateFile = path.join(tmp, `state-${n}.json`);
    await tuneSource('sdb', { sysRoot: root, stateFile, audit: audit() });
    const again = await tuneSource('sdb', { sysRoot: root, stateFile, audit: audit() });
    expect(again.recovered.map((s) => s.outcome)).toEqual(['restored', 'restored']);
    expect(again.steps).toContainEqual({ attr: 'queue/read_ahead_kb', outcome: 'set', from: 128, to: 0 });
    await again.release();
    expect(await attr('sdb', 'queue/read_ahead_kb')).toBe('128');
  });

  it('leaves a drive attached again since alone: the kernel gave it its defaults', async () => {
    const stateFile = path.join(tmp, `state-${n}.json`);
    await tuneSource('sdb', { sysRoot: root, stateFile, audit: audit() });
    await writeAt(root, `${SDB}/diskseq`, '12\n');
    const steps = await restoreFromStateFile(stateFile, { audit: audit() });
    expect(steps.map((s) => s.outcome)).toEqual(['left', 'left']);
    expect(steps[0]).toMatchObject({ note: 'sdb was attached again since (diskseq 12, tuned at 9): the kernel\'s defaults are back' });
    expect(await attr('sdb', 'queue/read_ahead_kb')).toBe('0');
  });

  it('rejects a file that is not a tuning state, naming it', async () => {
    const file = path.join(tmp, 'not-state.json');
    await writeFile(file, JSON.stringify({ version: 1, device: 'sdb', sysRoot: '/sys', settings: [{ attr: 'queue/scheduler', from: 1, to: 0 }] }));
    await expect(restoreFromStateFile(file, { audit: audit() })).rejects.toThrow(`${file}: not a tuning state file (setting {"attr":"queue/scheduler","from":1,"to":0})`);
  });
});
