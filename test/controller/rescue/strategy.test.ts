// The smart strategy against GNU ddrescue's algorithm (with -r3, as the race runs it), on drives it
// was not tuned on: other sizes, head counts, band widths and seeds. Same drive, same referee.
import { describe, expect, it } from 'vitest';
import { strategyOptions } from '../../../controller/rescue/options.ts';
import { checkImageAgainst, rescueEmulated } from '../../helpers/rescue-run.ts';

const CASES: { url: string; maxFailedRatio: number }[] = [
  { url: 'emu:dead-head?seed=41&size=48M&heads=2', maxFailedRatio: 0.1 },
  { url: 'emu:dead-head?seed=42&size=64M&heads=8&zones=6', maxFailedRatio: 0.1 },
  { url: 'emu:dead-head?seed=43&size=40M&sector=4096', maxFailedRatio: 0.1 },
  { url: 'emu:zone?seed=44&size=48M&pct=5', maxFailedRatio: 0.1 },
  // Rescuing all of a weak head's data costs a failed read per bad sector between two failed
  // probes: about 0.3 of ddrescue -r3's, which reads each bad sector four times (finish-phase.ts).
  { url: 'emu:weak-head?seed=45&size=48M', maxFailedRatio: 0.35 },
  { url: 'emu:scattered?seed=46&size=96M', maxFailedRatio: 0.5 },
  { url: 'emu:unstable?seed=47&size=32M', maxFailedRatio: 1 },
];

describe('smart strategy vs ddrescue -r3', () => {
  for (const { url, maxFailedRatio } of CASES) {
    it(url, async () => {
      const dd = await rescueEmulated(url, { ...strategyOptions('ddrescue'), retries: 3 });
      const smart = await rescueEmulated(url, strategyOptions('smart'));
      const a = dd.model.stats();
      const b = smart.model.stats();
      // Never claims a sector it did not read, and the bytes are the drive's.
      expect(await checkImageAgainst(smart.model, smart.imagePath, smart.map)).toBe(smart.map.bytes('+'));
      expect(smart.map.bytes('+')).toBeGreaterThanOrEqual(dd.map.bytes('+'));
      expect(b.failedReads).toBeLessThanOrEqual(a.failedReads * maxFailedRatio);
      // What it chose not to read is left non-trimmed or non-scraped, and the summary says how much.
      const left = smart.outcome.progress.nonScraped + smart.outcome.progress.nonTrimmed;
      expect(left).toBe(smart.map.bytes('/') + smart.map.bytes('*'));
      expect(smart.map.bytes('?')).toBe(0);
    });
  }
});
