// A read that hangs must stop neither the progress reports nor the mapfile saves: both run on
// timers of the main thread while the read waits on its own thread (or, in-process, on a timer).
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSink, openSource } from '../../../drivers/block/linux.ts';
import type { BlockSource, Clock } from '../../../drivers/block/types.ts';
import { wallClock } from '../../../drivers/block/types.ts';
import { mapSaver, openJobMap } from '../../../controller/jobs/rescue-mapfile.ts';
import { silentLogger } from '../../../controller/logger.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import type { ReadRecord } from '../../../controller/rescue/rescue-io.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../../controller/rescue/options.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import { tempDir } from '../../helpers/rescue-run.ts';
import { join } from 'node:path';

// One hang of 2.5 s of wall time; the timeout (5 s) is longer, so the engine really waits it out.
const kernel = await kernelPathAvailable();
const URL = 'emu:hang?seed=3&size=2M&count=1&wallHangMs=2500';

async function watchHang(source: BlockSource, clock: Clock) {
  const dir = await tempDir();
  const mapPath = join(dir, 'h.map');
  const { map, state } = await openJobMap(mapPath, source.size, source.sectorSize);
  const sink = await openSink(join(dir, 'h.img'), { create: true, capacityCheck: source.size });
  const saves: number[] = [];
  const reports: number[] = [];
  const reads: { start: number; end: number; rec: ReadRecord }[] = [];
  const save = mapSaver(sink, mapPath, {});
  await runRescue({
    source, sink, map, state, clock, resuming: false,
    signal: new AbortController().signal,
    domain: Domain.whole(source.size),
    options: { ...DEFAULT_OPTIONS, ...strategyOptions('ddrescue'), readTimeoutMs: 5_000, saveIntervalMs: 200 },
    log: silentLogger(),
    save: async (st, m) => {
      await save(st, m);
      saves.push(performance.now());
    },
    onProgress: () => reports.push(performance.now()),
    progressIntervalMs: 100,
    onRead: (rec) => reads.push({ start: performance.now() - rec.ms, end: performance.now(), rec }),
  });
  await sink.close();
  const hung = reads.filter((r) => r.end - r.start >= 2000);
  expect(hung.length).toBeGreaterThan(0);
  for (const h of hung) {
    const during = (ts: number[]) => ts.filter((t) => t > h.start && t < h.end).length;
    // 2.5 s of hang: about 12 saves at 200 ms and 25 reports at 100 ms if nothing stalls.
    expect(during(saves)).toBeGreaterThanOrEqual(6);
    expect(during(reports)).toBeGreaterThanOrEqual(12);
  }
  expect((await stat(mapPath)).size).toBeGreaterThan(0);
}

describe('a hung read', () => {
  it('in-process (emulated drive answering in real time)', async () => {
    const model = new DriveModel(parseEmuUrl(URL));
    const source = openEmulatedSource(model, { realTime: true });
    // The engine's clock must be wall time here: the hang is a real wait.
    await watchHang(source, wallClock);
  });

  it.skipIf(!kernel.ok)(`through the kernel (loop device, read on the worker thread)${kernel.ok ? '' : ` — SKIPPED: ${kernel.why}`}`, async () => {
    const model = new DriveModel(parseEmuUrl(URL));
    const kd = await attachKernelDrive(model);
    const source = await openSource(kd.device);
    try {
      await watchHang(source, wallClock);
    } finally {
      await source.close();
      await kd.detach();
    }
  });
});
