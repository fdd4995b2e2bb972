import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from '../../hil/sizes.ts';

describe('sizes', () => {
  it('reads binary units and plain bytes', () => {
    expect(parseSize('64K')).toBe(65_536);
    expect(parseSize('256M')).toBe(268_435_456);
    expect(parseSize('1G')).toBe(1_073_741_824);
    expect(parseSize('2TiB')).toBe(2 * 1024 ** 4);
    expect(parseSize('1.5M')).toBe(1_572_864);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize(512)).toBe(512);
  });

  it('rejects nonsense', () => {
    for (const bad of ['', 'M', '12Q', '-1', '0', '1.3']) expect(() => parseSize(bad), bad).toThrow(/invalid size/);
  });

  it('formats sizes so they read back exactly', () => {
    for (const n of [512, 1000, 65_536, 3 * 1024 ** 2, 1024 ** 3 + 512, 5 * 1024 ** 4]) expect(parseSize(formatSize(n))).toBe(n);
    expect(formatSize(128 * 1024 ** 2)).toBe('128M');
  });
});
