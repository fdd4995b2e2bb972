// A smart rescue interrupted and resumed ends where an unbroken one does: the probes' findings are
// kept beside the mapfile (probe-store.ts), so the resumed run neither probes the same pieces again
// nor misjudges them in the finish phase.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../controller/logger.ts';
import { openJobMap } from '../../../controller/jobs/rescue-mapfile.ts';
import { Domain } from '../../../controller/rescue/domain.ts';
import { runRescue } from '../../../controller/rescue/engine.ts';
import { DEFAULT_OPTIONS, strategyOptions } from '../../../controller/rescue/options.ts';
import { parseProbes, probeStore } from '../../../controller/rescue/probe-store.ts';
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
  // Killed between the two saves, the record must be the newer one: one older than the mapfile
  // misses the areas probed since, whose leftovers a resumed run then misjudges.
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

describe('the probe record', () => {
  it('round-trips, and one that does not fit the map is ignored', async () => {
    const dir = await tempDir();
    const store = probeStore(`${dir}/m.map`);
    const probed = [{ area: { pos: 4096, size: 65536, status: '/' as const }, tally: { ok: 2, failed: 5, pieces: [{ pos: 8192, size: 1024, status: '/' as const }] } }];
    await store.save(probed);
    expect(await store.load(1 << 20, silentLogger())).toEqual(probed);
    expect(await store.load(32768, silentLogger())).toEqual([]);
    await writeFile(`${dir}/m.map.probes`, '{"version":1,"areas":[[0,10,1,1,[5]]]}');
    expect(await store.load(1 << 20, silentLogger())).toEqual([]);
    expect(parseProbes('not json', 100)).toBeUndefined();
    expect(await probeStore(`${dir}/none.map`).load(100, silentLogger())).toEqual([]);
  });
});
