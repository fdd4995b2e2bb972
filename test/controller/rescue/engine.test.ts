// The engine against every emulated damage pattern, in-process: the right bytes, the right map.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMapfile } from '../../../controller/rescue/mapfile.ts';
import { compareWithDdrescuelog, haveDdrescue } from '../../helpers/ddrescuelog.ts';
import { checkImageAgainst, rescueEmulated, truthMap } from '../../helpers/rescue-run.ts';

const CASES: { url: string; opts?: Record<string, unknown> }[] = [
  { url: 'emu:healthy?seed=1&size=8M' },
  { url: 'emu:scattered?seed=2&size=16M' },
  { url: 'emu:dead-head?seed=3&size=16M' },
  { url: 'emu:zone?seed=4&size=16M' },
  { url: 'emu:slow?seed=5&size=16M', opts: { minReadRate: 20e6 } },
  { url: 'emu:unstable?seed=6&size=16M', opts: { retries: 4 } },
  { url: 'emu:vanish?seed=7&size=16M', opts: { readTimeoutMs: 5_000 } },
  { url: 'emu:hang?seed=8&size=8M', opts: { readTimeoutMs: 5_000 } },
  { url: 'emu:dead-head?seed=9&size=8M&sector=4096' },
  { url: 'emu:scattered?seed=10&size=8M&sector=4096', opts: { reverse: true } },
];

describe('rescue engine, in-process, every damage pattern', () => {
  for (const { url, opts } of CASES) {
    it(`${url} ${opts ? JSON.stringify(opts) : ''}`, async () => {
      const { outcome, map, model, imagePath, mapPath, dir } = await rescueEmulated(url, opts);
      expect(outcome.kind).toBe('finished');
      if (/emu:(hang|vanish)/.test(url)) expect(outcome.progress.timeouts).toBeGreaterThan(0);
      const truth = truthMap(model);
      // Every readable sector rescued with the right bytes, every unreadable one '-'.
      expect(map.bytes('+')).toBe(truth.bytes('+'));
      expect(map.bytes('-')).toBe(truth.bytes('-'));
      expect(map.equals(truth)).toBe(true);
      expect(await checkImageAgainst(model, imagePath, map)).toBe(truth.bytes('+'));
      if (haveDdrescue) {
        const truthPath = join(dir, 'truth.map');
        await writeFile(truthPath, formatMapfile(truth, { currentPos: 0, currentStatus: '+', currentPass: 1 }));
        expect(await compareWithDdrescuelog(truthPath, mapPath)).toBe(true);
      }
    });
  }
});
