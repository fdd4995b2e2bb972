// A periodic save runs beside the reads: the destination syncs and the mapfile is written while the
// sector loop goes on. What a save writes must be one instant's: the mapfile claims only bytes the
// sync made durable (after a power cut it must not claim sectors the image lacks), and the probe
// record is of the same instant as the map saved with it (a record behind its map misjudged, on
// resume, the areas probed in between).
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { openJobMap, mapSaver } from '../../../controller/jobs/rescue-mapfile.ts';
import { silentLogger } from '../../../controller/logger.ts';
import { end } from '../../../controller/rescue/block.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import { loadMapfile } from '../../../controller/rescue/mapfile-save.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../../controller/rescue/options.ts';
import type { ReadRecord } from '../../../controller/rescue/rescue-io.ts';
import { SectorMap } from '../../../controller/rescue/sector-map.ts';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSink } from '../../../drivers/block/linux.ts';
import type { BlockSink } from '../../../drivers/block/types.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

/** Bytes of `a` that `durable` does not hold. */
function notDurable(durable: SectorMap, pos: number, stop: number): number {
  let missing = 0;
  for (const d of durable.areas(pos)) {
    if (d.pos >= stop) break;
    if (d.status !== '+') missing += Math.min(end(d), stop) - Math.max(d.pos, pos);
  }
  return missing;
}

it('each save holds one instant: the mapfile claims only synced bytes, and the probe record matches its map', async () => {
  const url = 'emu:weak-head?seed=11&size=2M&heads=2';
  const model = new DriveModel(parseEmuUrl(url));
  const dir = await tempDir();
  const mapPath = join(dir, 'image.map');
  const { map, state } = await openJobMap(mapPath, model.size, model.sectorSize);
  const file = await openSink(join(dir, 'image.img'), { create: true, capacityCheck: model.size });
  // What has been written, and what a power cut would keep: the writes made before the last sync began.
  const written = new SectorMap(model.size);
  let durable = new SectorMap(model.size);
  const sink: BlockSink = {
    path: file.path,
    capacity: file.capacity,
    async write(pos, data) {
      await file.write(pos, data);
      written.set(pos, data.length, '+');
    },
    async sync() {
      const before = written.clone();
      await file.sync();
      await sleep(3); // a slow disk: reads go on meanwhile
      durable = before;
    },
    close: () => file.close(),
  };
  const reads: ReadRecord[] = [];
  let readsAtRecord: number | undefined;
  let saves = 0;
  let withRecord = 0;
  let claimedUnsynced = 0;
  let mapAheadOfRecord = 0;
  const saveMap = mapSaver(sink, mapPath, { commandLine: 'test' });
  const outcome = await runRescue({
    source: openEmulatedSource(model, { path: url }), sink, map, state, clock: model.clock, resuming: false,
    signal: new AbortController().signal, domain: Domain.whole(model.size),
    options: { ...DEFAULT_OPTIONS, ...strategyOptions('smart'), saveIntervalMs: 5 },
    log: silentLogger(),
    onRead: (r) => reads.push(r),
    probes: {
      load: async () => [],
      save: async () => {
        readsAtRecord = reads.length;
      },
    },
    save: async (st, copy) => {
      await saveMap(st, copy);
      saves++;
      const { map: saved } = await loadMapfile(mapPath, model.size);
      for (const a of saved.areas(0)) if (a.status === '+') claimedUnsynced += notDurable(durable, a.pos, end(a));
      // A read that succeeded after the record was made must not show in the map saved with it.
      if (readsAtRecord !== undefined) {
        withRecord++;
        for (const r of reads.slice(readsAtRecord)) if (r.ok && saved.areaAt(r.pos).status === '+') mapAheadOfRecord++;
      }
      readsAtRecord = undefined;
    },
  });
  await sink.close();
  expect(outcome.kind).toBe('finished');
  // Enough saves ran beside the reads, with and without a record, for the checks to mean something.
  expect(saves).toBeGreaterThan(20);
  expect(withRecord).toBeGreaterThan(5);
  expect(claimedUnsynced).toBe(0);
  expect(mapAheadOfRecord).toBe(0);
});
