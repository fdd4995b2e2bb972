// `imagebox image` of a real block device (a loop device): refused while the kernel read-only flag
// is off, imaged once it is on, and the record says how the write block was established.

import { readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, TEST_STATE_DIR } from '../../helpers/cli.ts';
import { attachLoop, type LoopDevice } from '../../helpers/loop-device.ts';
import { tempDir } from '../../helpers/rescue-run.ts';
import { mixedBytes } from '../formats/fixtures.ts';
import { kernelPathAvailable } from '../../../hil/kernel-tools.ts';

const loops = await kernelPathAvailable().then((r) => r.ok, () => false);

describe.skipIf(!loops)(`image of a loop device${loops ? '' : ' — SKIPPED: loop devices unavailable (needs root and losetup)'}`, () => {
  let dir: string;
  let rw: LoopDevice;
  let ro: LoopDevice;
  const data = mixedBytes(4 * 2 ** 20, 5);

  beforeAll(async () => {
    dir = await tempDir('imagebox-image-dev-');
    await writeFile(join(dir, 'disk.bin'), data);
    rw = await attachLoop(join(dir, 'disk.bin'));
    ro = await attachLoop(join(dir, 'disk.bin'), { readOnly: true });
  });
  afterAll(async () => {
    await rw?.detach();
    await ro?.detach();
  });

  it('refuses a device that is not write-blocked, in one line, and logs the refusal', async () => {
    const r = await runCli(['image', rw.device, join(dir, 'rw.raw'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not write-blocked/);
    expect(await readFile(join(TEST_STATE_DIR, 'audit.log'), 'utf8')).toMatch(/not write-blocked/);
  });

  it('images a read-only device and records the kernel flag as the write block', async () => {
    const r = await runCli(['image', ro.device, join(dir, 'ro.raw'), '-q', '--hash', 'sha256']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readFile(join(dir, 'ro.raw'))).equals(data)).toBe(true);
    const rec = JSON.parse(await readFile(join(dir, 'ro.json'), 'utf8'));
    expect(rec.source.writeBlock.state).toBe('software');
    expect(rec.source.writeBlock.method).toMatch(/kernel-ro/);
    expect(rec.hashes).toEqual([{ algorithm: 'sha256', hex: createHash('sha256').update(data).digest('hex') }]);
    expect(rec.source.identity.capacityBytes).toBe(data.length);
  });

  it('turns the source readahead off while imaging and puts it back after, in the audit log', async () => {
    const name = ro.device.replace('/dev/', '');
    const ra = () => readFile(`/sys/block/${name}/queue/read_ahead_kb`, 'utf8').then((t) => Number(t.trim()));
    const before = await ra();
    expect(before).toBeGreaterThan(0);
    const r = await runCli(['image', ro.device, join(dir, 'ro2.raw'), '-q']);
    expect(r.code).toBe(0);
    expect(await ra()).toBe(before);
    const audit = (await readFile(join(TEST_STATE_DIR, 'audit.log'), 'utf8')).split('\n').filter((l) => l.includes(`"device":"${name}"`));
    expect(audit.some((l) => /"act":"tune".*"attr":"queue\/read_ahead_kb".*"to":0/.test(l))).toBe(true);
    expect(audit.some((l) => /"act":"tuning-restore".*"attr":"queue\/read_ahead_kb"/.test(l))).toBe(true);
  });
});
