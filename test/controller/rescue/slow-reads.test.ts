// Smart leaves slow areas for later, but one slow read is a hiccup, not an area: a healthy drive's
// image must keep its streaming order (an out-of-order read sends the rest of a forensic image
// through the working file, which halved imagebox image's speed).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSink } from '../../../drivers/block/linux.ts';
import { mapSaver, openJobMap } from '../../../controller/jobs/rescue-mapfile.ts';
import { silentLogger } from '../../../controller/logger.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../../controller/rescue/options.ts';
import type { ReadRecord } from '../../../controller/rescue/rescue-io.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

const MiB = 2 ** 20;

/** A healthy drive whose reads starting at the given offsets each take `stallMs` more. */
async function runWithStalls(stalls: readonly number[], stallMs: number) {
  const model = new DriveModel(parseEmuUrl('emu:healthy?size=32M'));
  const drive = openEmulatedSource(model);
  const source = {
    ...drive,
    read: async (pos: number, len: number) => {
      if (stalls.includes(pos)) model.clock.advance(stallMs);
      return drive.read(pos, len);
    },
  };
  const dir = await tempDir();
  const { map, state } = await openJobMap(join(dir, 'm.map'), source.size, source.sectorSize);
  const sink = await openSink(join(dir, 'i.img'), { create: true, capacityCheck: source.size });
  const reads: ReadRecord[] = [];
  await runRescue({
    source, sink, map, state, clock: model.clock, resuming: false, signal: new AbortController().signal,
    domain: Domain.whole(source.size),
    options: { ...DEFAULT_OPTIONS, ...strategyOptions('smart'), clusterSectors: 2048, saveIntervalMs: 0 },
    log: silentLogger(), save: mapSaver(sink, join(dir, 'm.map'), {}), onRead: (r) => reads.push(r),
  });
  await sink.close();
  return { reads, map };
}

function outOfOrder(reads: readonly ReadRecord[]): number {
  return reads.filter((r, i) => i > 0 && r.pos !== reads[i - 1].pos + reads[i - 1].len).length;
}

describe('smart: slow reads', () => {
  it('reads a healthy drive in order through a single stalled read, or two apart', async () => {
    // 1 MiB at 150 MB/s takes about 7 ms: a 200 ms stall makes it some 30 times slower.
    const { reads, map } = await runWithStalls([12 * MiB, 20 * MiB], 200);
    expect(outOfOrder(reads)).toBe(0);
    expect(map.bytes('+')).toBe(32 * MiB);
  });

  it('still leaves an area for later once reads stay slow', async () => {
    const { reads, map } = await runWithStalls([12 * MiB, 13 * MiB, 14 * MiB, 15 * MiB], 200);
    expect(outOfOrder(reads)).toBeGreaterThan(0);
    expect(map.bytes('+')).toBe(32 * MiB);
  });
});
