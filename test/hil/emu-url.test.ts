import { describe, expect, it } from 'vitest';
import { parseDriveSpec } from '../../hil/drive-spec.ts';
import { formatEmuUrl, parseEmuUrl } from '../../hil/emu-url.ts';
import { PATTERNS } from '../../hil/patterns.ts';

describe('emu: URLs', () => {
  it('read pattern, seed, size, sector size, parameters and cost terms', () => {
    expect(parseEmuUrl('emu:dead-head?seed=3&size=128M&sector=4096&heads=6&failedReadMs=500')).toEqual({
      pattern: 'dead-head',
      seed: 3,
      size: 128 * 1024 * 1024,
      sectorSize: 4096,
      params: { heads: 6 },
      cost: { failedReadMs: 500 },
    });
    expect(parseEmuUrl('emu:healthy')).toMatchObject({ seed: 1, size: 64 * 1024 * 1024, sectorSize: 512 });
  });

  it('round-trip through formatEmuUrl', () => {
    for (const pattern of PATTERNS) {
      const spec = parseDriveSpec(pattern, { seed: 77, size: '3M', sectorSize: 4096 });
      expect(parseEmuUrl(formatEmuUrl(spec))).toEqual(spec);
    }
    const tuned = parseEmuUrl('emu:vanish?seed=2&size=1G&afterFailures=5&wallHangMs=100&resetMs=50');
    expect(formatEmuUrl(tuned)).toBe('emu:vanish?seed=2&size=1G&sector=512&afterFailures=5&wallHangMs=100&resetMs=50');
  });

  it('reject what they cannot build, in one line naming the valid choices', () => {
    const cases: [string, RegExp][] = [
      ['emu:dead-hed?size=1M', /unknown drive pattern "dead-hed" \(valid: healthy, scattered, dead-head, zone, slow, unstable, vanish, hang, weak-head\)/],
      ['emu:zone?size=1M&heads=4', /emu:zone has no parameter "heads" \(valid: seed, size, sector, pct, haloCount, haloScale, rateMBps/],
      ['emu:zone?size=1M&pct=lots', /pct="lots" is not a number/],
      ['emu:zone?size=1M&sector=1024', /sector size "1024": 512 or 4096/],
      ['emu:zone?size=1000', /not a multiple of the 512-byte sector/],
      ['emu:zone?seed=-1', /invalid seed/],
      ['emu:zone?size=12X', /invalid size "12X"/],
      ['emu:zone?rateMBps=fast', /cost term rateMBps="fast"/],
      ['/dev/sda', /not an emulated drive/],
    ];
    for (const [url, message] of cases) {
      expect(() => parseEmuUrl(url), url).toThrow(message);
      try {
        parseEmuUrl(url);
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    }
  });
});
