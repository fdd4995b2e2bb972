// The smart first copy pass on dead-head drives it was not tuned on (other sizes, head counts,
// band widths, seeds): finding band edges from the good side and skipping predicted bands, its copy
// phase rescues more than ddrescue's with fewer failed reads, and leaves what it skipped unread
// (non-trimmed or non-scraped), never finished.
import { describe, expect, it } from 'vitest';
import { strategyOptions } from '../../../controller/rescue/options.ts';
import { checkImageAgainst, rescueEmulated, truthMap } from '../../helpers/rescue-run.ts';

const CASES = [
  'emu:dead-head?seed=7&size=48M&heads=3&outerBand=600&innerBand=200',
  'emu:dead-head?seed=8&size=64M&heads=6&zones=5',
  'emu:dead-head?seed=9&size=80M&heads=2&outerBand=300',
];

describe('smart first copy pass', () => {
  for (const url of CASES) {
    it(url, async () => {
      const dd = await rescueEmulated(url, { ...strategyOptions('ddrescue'), phases: ['copy'] });
      const smart = await rescueEmulated(url, { ...strategyOptions('smart'), phases: ['copy'] });
      const truth = truthMap(smart.model).bytes('+');
      expect(await checkImageAgainst(smart.model, smart.imagePath, smart.map)).toBe(smart.map.bytes('+'));
      // Its copy phase finds the band edges that ddrescue's leaves to the trim phase.
      expect(smart.map.bytes('+')).toBeGreaterThan(dd.map.bytes('+'));
      expect(smart.model.stats().failedReads).toBeLessThan(dd.model.stats().failedReads);
      expect(smart.map.bytes('+') / truth).toBeGreaterThan(0.25);
      expect(smart.map.bytes('?')).toBe(0);
    });
  }
});
