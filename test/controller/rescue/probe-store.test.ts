// A smart rescue interrupted and resumed ends where an unbroken one does: the probes' findings are
// kept beside the mapfile (probe-store.ts), so the resumed run neither probes the same pieces again
// nor misjudges them in the finish phase.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../controller/logger.ts';
import { mapSaver, openJobMap } from '../../../controller/jobs/rescue-mapfile.ts';
import { SectorMap } from '../../../controller/rescue/sector-map.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../../controller/rescue/options.ts';
import { formatProbes, parseProbes, probeStore } from '../../../controller/rescue/probe-store.ts';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSink } from '../../../drivers/block/linux.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { checkImageAgainst, rescueEmulated, rescueInto, tempDir } from '../../helpers/rescue-run.ts';

const SMART = strategyOptions('smart');

/** One run stopped after `maxErrors` failed reads, then resumed to the end, on one drive. */
async function interrupted(url: string, maxErrors: number) {
  const model = new DriveModel(parseEmuUrl(url));
  const source = openEmulatedSource(model, { path: url });
  const dir = await tempDir();
  const first = await rescueInto(source, model.clock, { ...SMART, maxErrors }, dir);
  expect(first.outcome.kind).toBe('stopped');
  const probes = await readFile(`${first.mapPath}.probes`, 'utf8').catch(() => undefined);
  const last = await rescueInto(source, model.clock, SMART, dir);
  expect(last.outcome.kind).toBe('finished');
  return { model, last, probes };
}

describe('smart, interrupted and resumed', () => {
  for (const url of ['emu:weak-head?seed=71&size=16M&heads=2', 'emu:weak-head?seed=72&size=24M&heads=5', 'emu:dead-head?seed=73&size=16M&heads=3']) {
    it(`${url}: the bytes of an unbroken run, for about its failed reads`, async () => {
      const unbroken = await rescueEmulated(url, SMART);
      const failed = unbroken.model.stats().failedReads;
      // Stops late in the run: inside the scrape and finish phases, where the probes' findings matter.
      for (const share of [0.5, 0.75, 0.9]) {
        const { model, last, probes } = await interrupted(url, Math.floor(failed * share));
        expect(probes, 'the probes were kept').toBeDefined();
        expect(await checkImageAgainst(model, last.imagePath, last.map)).toBe(last.map.bytes('+'));
        expect(last.map.bytes('+')).toBeGreaterThanOrEqual(unbroken.map.bytes('+'));
        expect(model.stats().failedReads).toBeLessThanOrEqual(failed * 1.1 + 20);
      }
    });
  }
});

describe('the probe record and the mapfile', () => {
  // Killed between the two saves, the new record waits beside the older mapfile, which finds its
  // own record kept as .prev. The other way round, the newer mapfile would have no record.
  it('the record is saved before each mapfile save, once there is one', async () => {
    const url = 'emu:weak-head?seed=74&size=16M&heads=2';
    const model = new DriveModel(parseEmuUrl(url));
    const dir = await tempDir();
    const { map, state } = await openJobMap(join(dir, 'm.map'), model.size, model.sectorSize);
    const sink = await openSink(join(dir, 'i.img'), { create: true, capacityCheck: model.size });
    const saves: string[] = [];
    await runRescue({
      source: openEmulatedSource(model, { path: url }), sink, map, state, clock: model.clock, resuming: false,
      signal: new AbortController().signal, domain: Domain.whole(model.size),
      options: { ...DEFAULT_OPTIONS, ...SMART, saveIntervalMs: 0 }, log: silentLogger(),
      save: async () => void saves.push('map'),
      probes: { load: async () => [], save: async () => void saves.push('probes') },
    });
    await sink.close();
    const first = saves.indexOf('probes');
    expect(first).toBeGreaterThan(0);
    for (let k = first; k < saves.length; k += 2) expect(saves.slice(k, k + 2)).toEqual(['probes', 'map']);
  });
});

describe('killed between the record and the map', () => {
  // The record is written, the process dies before the mapfile is: on disk, a record one save
  // ahead of its map, which counts probes whose reads the map lost. The older map is resumed with
  // the record made with it (MAPFILE.probes.prev).
  const url = 'emu:dead-head?seed=11&size=8M';

  async function crashAfterRecord(dir: string, model: DriveModel, afterReads: number): Promise<boolean> {
    const mapPath = join(dir, 'i.map');
    const { map, state } = await openJobMap(mapPath, model.size, model.sectorSize);
    const sink = await openSink(join(dir, 'i.img'), { create: true, capacityCheck: model.size });
    const store = probeStore(mapPath);
    const stop = new AbortController();
    let reads = 0;
    let crashed = false;
    const saveMap = mapSaver(sink, mapPath, {});
    await runRescue({
      source: openEmulatedSource(model, { path: url }), sink, map, state, clock: model.clock, resuming: false,
      signal: stop.signal, domain: Domain.whole(model.size),
      options: { ...DEFAULT_OPTIONS, ...SMART, saveIntervalMs: 1 }, log: silentLogger(),
      onRead: () => void reads++,
      probes: {
        load: store.load,
        save: async (record) => {
          if (crashed) return;
          await store.save(record);
          if (reads >= afterReads) {
            crashed = true;
            stop.abort();
          }
        },
      },
      save: async (st, copy) => {
        if (!crashed) await saveMap(st, copy);
      },
    });
    await sink.close();
    return crashed;
  }

  it('the older mapfile finds its own record, and the resumed run ends with an unbroken run\'s bytes', async () => {
    const unbroken = await rescueEmulated(url, SMART);
    const reads = unbroken.model.stats().reads;
    for (const share of [0.7, 0.9]) {
      const model = new DriveModel(parseEmuUrl(url));
      const dir = await tempDir();
      expect(await crashAfterRecord(dir, model, Math.floor(reads * share)), `crashed at ${share}`).toBe(true);
      const last = await rescueInto(openEmulatedSource(model, { path: url }), model.clock, SMART, dir);
      expect(last.outcome.kind).toBe('finished');
      expect(await checkImageAgainst(model, last.imagePath, last.map)).toBe(last.map.bytes('+'));
      expect(last.map.bytes('+'), `crashed at ${share} of the reads`).toBeGreaterThanOrEqual(unbroken.map.bytes('+'));
    }
  });
});

describe('stopped at any read', () => {
  // A stop can land anywhere, not only at a failed read (a kill, a power cut, the operator): in the
  // middle of reading outward from a probe that read, whose rest of the good stretch the resumed
  // run must still read. It left it below the probes' grain instead, and 19 of 40 stops on this
  // drive ended up to 7.7 kB short.
  it('each resumed run ends with an unbroken run\'s bytes', async () => {
    const url = 'emu:dead-head?seed=11&size=8M';
    const unbroken = await rescueEmulated(url, SMART);
    const total = unbroken.model.stats().reads;
    const short: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const at = Math.floor(total * (0.3 + (0.65 * i) / 12));
      const model = new DriveModel(parseEmuUrl(url));
      const source = openEmulatedSource(model, { path: url });
      const dir = await tempDir();
      const stop = new AbortController();
      let reads = 0;
      const stopping: typeof source = { ...source, read: (pos, len, o) => (++reads === at && stop.abort(), source.read(pos, len, o)) };
      expect((await rescueInto(stopping, model.clock, SMART, dir, stop.signal)).outcome.kind).toBe('stopped');
      const last = await rescueInto(source, model.clock, SMART, dir);
      const lost = unbroken.map.bytes('+') - last.map.bytes('+');
      if (lost > 0) short.push(`stopped at read ${at}: ${lost} bytes short`);
    }
    expect(short).toEqual([]);
  });
});

describe('the probe record', () => {
  it('is used only with the map it was made with; the one before is kept for the older map', async () => {
    const dir = await tempDir();
    const store = probeStore(`${dir}/m.map`);
    const log = silentLogger();
    const map = new SectorMap(1 << 20);
    map.set(4096, 65536, '/');
    const probed = [{ area: { pos: 4096, size: 65536, status: '/' as const }, tally: { ok: 2, failed: 5, pieces: [{ pos: 8192, size: 1024, status: '/' as const }] } }];
    await store.save(formatProbes(probed, map));
    expect(await store.load(map, log)).toEqual(probed);
    const later = map.clone();
    later.set(16384, 512, '+');
    expect(await store.load(later, log)).toEqual([]);
    expect(await store.load(new SectorMap(32768), log)).toEqual([]);
    // The next save's record, written before its map: the older map still finds its own.
    const next = [{ ...probed[0], tally: { ...probed[0].tally, ok: 3 } }];
    await store.save(formatProbes(next, later));
    expect(await store.load(later, log)).toEqual(next);
    expect(await store.load(map, log)).toEqual(probed);
    const fingerprint = (JSON.parse(await readFile(`${dir}/m.map.probes`, 'utf8')) as { map: string }).map;
    await writeFile(`${dir}/m.map.probes`, JSON.stringify({ version: 2, map: fingerprint, areas: [[0, 10, 1, 1, [5]]] }));
    expect(await store.load(later, log)).toEqual([]);
    expect(parseProbes('not json', later)).toBeUndefined();
    expect(await probeStore(`${dir}/none.map`).load(map, log)).toEqual([]);
  });
});
