// The runway (rescue/runway.ts): large reads until the first failure or slow read, then the
// cluster grain, with the same map at the end as a run without it and one failed read more.
import { describe, expect, it } from 'vitest';
import { strategyOptions } from '../../../controller/rescue/options.ts';
import type { RescueOptions } from '../../../controller/rescue/options.ts';
import { checkImageAgainst, rescueEmulated, rescueInto, truthMap } from '../../helpers/rescue-run.ts';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';

const MiB = 2 ** 20;
const IMAGE = { clusterSectors: MiB / 512, runwaySectors: (4 * MiB) / 512 };

const logged = (url: string, opts: Partial<RescueOptions>) => rescueEmulated(url, opts, { logReads: true });

function mapText(map: { areas(pos: number): Iterable<{ pos: number; size: number; status: string }> }): string {
  return [...map.areas(0)].map((a) => `${a.pos}+${a.size}${a.status}`).join(' ');
}

describe('runway reads', () => {
  it('read a healthy drive in runway-sized reads on the runway grid', async () => {
    const url = 'emu:healthy?seed=1&size=37M';
    const run = await logged(url, { ...strategyOptions('smart'), ...IMAGE, phases: ['copy'] });
    const log = run.model.readLog();
    expect(run.map.bytes('+')).toBe(37 * MiB);
    // 9 whole runways, then the last MiB: a runway's grid cell past the end holds only one cluster.
    expect(log.map((r) => r.len)).toEqual([...Array(9).fill(4 * MiB), MiB]);
    expect(log.every((r) => r.pos % (4 * MiB) === 0)).toBe(true);
  });

  for (const strategy of ['smart', 'ddrescue'] as const) {
    for (const pattern of ['scattered?seed=3&size=24M', 'dead-head?seed=5&size=32M', 'zone?seed=2&size=32M']) {
      it(`${strategy}, ${pattern}: the same map as cluster reads alone, for one failed read more`, async () => {
        const url = `emu:${pattern}`;
        const plain = await logged(url, { ...strategyOptions(strategy), ...IMAGE, runwaySectors: 0 });
        const runway = await logged(url, { ...strategyOptions(strategy), ...IMAGE });
        expect(mapText(runway.map)).toBe(mapText(plain.map));
        expect(runway.model.stats().failedReads).toBe(plain.model.stats().failedReads + 1);
        expect(await checkImageAgainst(runway.model, runway.imagePath, runway.map)).toBe(runway.map.bytes('+'));
        expect(runway.map.bytes('+')).toBe(truthMap(runway.model).bytes('+'));
        // Runway reads came first, and none after the first failure.
        const log = runway.model.readLog();
        const firstFail = log.findIndex((r) => !r.ok);
        expect(firstFail).toBeGreaterThanOrEqual(0);
        expect(log.slice(0, firstFail).every((r) => r.ok && r.len === 4 * MiB)).toBe(true);
        if (pattern.startsWith('zone')) expect(firstFail, 'the zone lies past the first runways').toBeGreaterThan(0);
        expect(log[firstFail]!.len).toBe(4 * MiB);
        expect(log.slice(firstFail + 1).every((r) => r.len <= MiB)).toBe(true);
      });
    }
  }

  it('is not taken up again by a resumed job whose map holds failures', async () => {
    const model = new DriveModel(parseEmuUrl('emu:scattered?seed=3&size=24M'), { logReads: true });
    const source = openEmulatedSource(model, { path: 'emu' });
    // A first run of the copy phase alone: its map holds failures.
    const first = await rescueInto(source, model.clock, { ...strategyOptions('smart'), ...IMAGE, phases: ['copy'] });
    expect(first.map.bytes('*') + first.map.bytes('-') + first.map.bytes('/')).toBeGreaterThan(0);
    const before = model.readLog().length;
    const again = await rescueInto(source, model.clock, { ...strategyOptions('smart'), ...IMAGE }, first.dir);
    expect(again.outcome.kind).toBe('finished');
    expect(model.readLog().slice(before).every((r) => r.len <= MiB)).toBe(true);
  });
});
