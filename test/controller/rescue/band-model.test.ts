// The run model on its own: it predicts only from three runs that agree, and a run or a refutation
// that breaks the pattern stops the predictions.
import { describe, expect, it } from 'vitest';
import { BandModel } from '../../../controller/rescue/band-model.ts';

const SS = 512;
function runs(model: BandModel, starts: number[], len: number): void {
  for (const s of starts) model.add({ start: s * SS, end: (s + len) * SS, predicted: false });
}

describe('BandModel', () => {
  for (const [period, len] of [[1000, 250], [2730, 682], [96, 8]]) {
    it(`predicts the next run of a period-${period} pattern of ${len}-sector runs once three agree`, () => {
      const m = new BandModel(SS);
      runs(m, [period * 3], len);
      expect(m.next()).toBeUndefined();
      runs(m, [period * 4], len);
      expect(m.next()).toBeUndefined();
      runs(m, [period * 5], len);
      expect(m.next()).toEqual({ start: period * 6 * SS, end: (period * 6 + len) * SS, predicted: true });
    });
  }

  it('makes no prediction from runs at irregular spacings or of different lengths', () => {
    const a = new BandModel(SS);
    runs(a, [100, 1100, 2500], 50);
    expect(a.next()).toBeUndefined();
    const b = new BandModel(SS);
    b.add({ start: 0, end: 50 * SS, predicted: false });
    b.add({ start: 1000 * SS, end: 1200 * SS, predicted: false });
    b.add({ start: 2000 * SS, end: 2050 * SS, predicted: false });
    expect(b.next()).toBeUndefined();
  });

  it('merges a run that continues the last one, and forgets a refuted prediction', () => {
    const m = new BandModel(SS);
    runs(m, [0, 1000, 2000], 100);
    const p = m.next()!;
    m.add(p);
    expect(m.predictedIn(0, 4000 * SS)).toHaveLength(1);
    m.add({ start: p.end, end: p.end + 10 * SS, predicted: false });
    expect(m.predictedIn(0, 4000 * SS)).toHaveLength(0);
    const n = new BandModel(SS);
    runs(n, [0, 1000, 2000], 100);
    n.add(n.next()!);
    n.refute(3000 * SS);
    expect(n.next()).toBeUndefined();
  });
});
