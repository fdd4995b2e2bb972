// The engine through the kernel: each emulated drive is served by our NBD server, shown by
// nbdfuse, and read through a read-only direct-io loop device with the real Linux binding.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../../../drivers/block/linux.ts';
import { wallClock } from '../../../drivers/block/types.ts';
import { formatMapfile } from '../../../controller/rescue/mapfile.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import type { KernelDrive } from '../../../hil/kernel-drive.ts';
import { compareWithDdrescuelog, haveDdrescue } from '../../helpers/ddrescuelog.ts';
import { checkImageAgainst, rescueInto, truthMap } from '../../helpers/rescue-run.ts';

const available = await kernelPathAvailable();
const why = available.ok ? '' : ` — SKIPPED: ${available.why}`;

// Hangs are shown in wall time through the kernel; the read timeout is set under them, with room
// for a good read on a loaded machine (300 ms was not: good reads timed out and turned bad).
const CASES: { url: string; opts?: Record<string, unknown> }[] = [
  { url: 'emu:healthy?seed=1&size=4M' },
  { url: 'emu:scattered?seed=2&size=8M' },
  { url: 'emu:dead-head?seed=3&size=4M' },
  { url: 'emu:zone?seed=4&size=8M' },
  { url: 'emu:slow?seed=5&size=8M' },
  { url: 'emu:unstable?seed=6&size=8M', opts: { retries: 4 } },
  { url: 'emu:vanish?seed=7&size=8M&wallHangMs=900&recoverAfterMs=30000', opts: { readTimeoutMs: 700 } },
  { url: 'emu:hang?seed=8&size=4M&count=2&wallHangMs=900', opts: { readTimeoutMs: 700 } },
  { url: 'emu:scattered?seed=9&size=8M&sector=4096' },
];

const attached: KernelDrive[] = [];
afterAll(async () => {
  for (const d of attached) await d.detach();
});

describe.skipIf(!available.ok)(`rescue engine through the kernel (NBD, nbdfuse, loop device)${why}`, () => {
  for (const { url, opts } of CASES) {
    it(`${url} ${opts ? JSON.stringify(opts) : ''}`, async () => {
      const model = new DriveModel(parseEmuUrl(url));
      const kd = await attachKernelDrive(model);
      attached.push(kd);
      const source = await openSource(kd.device);
      try {
        expect(source.direct).toBe(true);
        expect(source.sectorSize).toBe(model.sectorSize);
        const run = await rescueInto(source, wallClock, opts);
        expect(run.outcome.kind).toBe('finished');
        // The drives that hang must really have made the engine give up on reads.
        if (/emu:(hang|vanish)/.test(url)) expect(run.outcome.progress.timeouts).toBeGreaterThan(0);
        const truth = truthMap(model);
        expect(run.map.bytes('-')).toBe(truth.bytes('-'));
        expect(run.map.equals(truth)).toBe(true);
        expect(await checkImageAgainst(model, run.imagePath, run.map)).toBe(truth.bytes('+'));
        if (haveDdrescue) {
          const truthPath = join(run.dir, 'truth.map');
          await writeFile(truthPath, formatMapfile(truth, { currentPos: 0, currentStatus: '+', currentPass: 1 }));
          expect(await compareWithDdrescuelog(truthPath, run.mapPath)).toBe(true);
        }
      } finally {
        await source.close();
        await kd.detach();
      }
    });
  }
});
