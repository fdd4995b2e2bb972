// Source tuning on a real loop device: readahead off and back, checked by blockdev as well as
// sysfs; the command timeout is not applicable (loop devices have no SCSI device/timeout).

import { access, constants, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../controller/logger.ts';
import { readTuning, tuneSource } from '../../../drivers/tuning/source-tuning.ts';
import { findProgram, runOk } from '../../../hil/kernel-tools.ts';
import { attachLoop } from '../../helpers/loop-device.ts';

const why =
  process.getuid?.() !== 0 ? 'loop devices need root'
  : !(await findProgram('losetup')) ? 'losetup is not installed'
  : !(await access('/dev/loop-control', constants.W_OK).then(() => true, () => false)) ? 'no /dev/loop-control'
  : null;

const dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-tuning-loop-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(why !== null)(`source tuning on a real loop device${why ? ` (skipped: ${why})` : ''}`, () => {
  it('writes read_ahead_kb 0, then release restores the old value', async () => {
    const file = path.join(dir, 'drive.img');
    await writeFile(file, '');
    await truncate(file, 4 * 1024 * 1024);
    const loop = await attachLoop(file, { readOnly: true });
    try {
      // A known starting value: a free loop keeps whatever readahead its last user left.
      await runOk('blockdev', ['--setra', '512', loop.device]);
      const before = await readTuning(loop.device);
      expect(before).toEqual({ commandTimeoutSeconds: null, readAheadKb: 256 });
      const t = await tuneSource(loop.device, { audit: silentLogger() });
      expect(t.steps.map((s) => s.outcome)).toEqual(['not applicable', 'set']);
      expect((await readTuning(loop.device)).readAheadKb).toBe(0);
      expect((await runOk('blockdev', ['--getra', loop.device])).trim()).toBe('0');
      expect(await t.release()).toEqual([{ attr: 'queue/read_ahead_kb', outcome: 'restored', value: 256 }]);
      expect((await readTuning(loop.device)).readAheadKb).toBe(256);
      expect((await runOk('blockdev', ['--getra', loop.device])).trim()).toBe('512');
    } finally {
      await loop.detach();
    }
  });
});
