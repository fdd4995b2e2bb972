import { describe, expect, it } from 'vitest';
import {
  devNumberOf,
  majorOf,
  parseDevAttr,
  parseMountinfo,
  parseSwaps,
  parseSysfsInt,
  unescapeOctal,
} from '../../../drivers/block/proc-parse.ts';

describe('parseMountinfo', () => {
  it('reads device, mount point, type and source, whatever the number of optional fields', () => {
    const text = [
      '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
      '36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:7 - ext3 /dev/root rw,errors=continue',
      '40 27 0:45 / /mnt/my\\040disk rw shared:3 - btrfs /dev/sdb2 rw,space_cache',
      '41 27 0:46 / /run/user rw,nosuid - tmpfs tmpfs rw',
      '',
      'garbage line without separator',
    ].join('\n');
    const m = parseMountinfo(text);
    expect(m).toHaveLength(4);
    expect(m[0]).toEqual({ mountId: 27, parentId: 1, dev: '254:0', root: '/', mountPoint: '/', fsType: 'ext4', source: '/dev/vda' });
    expect(m[1]).toMatchObject({ dev: '98:0', root: '/mnt1', mountPoint: '/mnt/parent', fsType: 'ext3', source: '/dev/root' });
    expect(m[2]).toMatchObject({ dev: '0:45', mountPoint: '/mnt/my disk', fsType: 'btrfs', source: '/dev/sdb2' });
    expect(m[3]).toMatchObject({ fsType: 'tmpfs', source: 'tmpfs' });
  });
});

describe('parseSwaps', () => {
  it('skips the header and unescapes names', () => {
    const text = [
      'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority',
      '/dev/sda2                               partition\t8388604\t\t0\t\t-2',
      '/swap\\040file                          file\t\t1048572\t\t0\t\t-3',
      '',
    ].join('\n');
    expect(parseSwaps(text)).toEqual([
      { filename: '/dev/sda2', type: 'partition' },
      { filename: '/swap file', type: 'file' },
    ]);
    expect(parseSwaps('Filename\tType\tSize\tUsed\tPriority\n')).toEqual([]);
  });
});

describe('sysfs values', () => {
  it('parses integers and device numbers, and refuses anything else', () => {
    expect(parseSysfsInt('976773168\n', 'size')).toBe(976773168);
    expect(() => parseSysfsInt('-1\n', 'size')).toThrow(/size/);
    expect(() => parseSysfsInt('', 'ro')).toThrow();
    expect(() => parseSysfsInt('99999999999999999999', 'size')).toThrow(/2\^53/);
    expect(parseDevAttr('8:16\n')).toBe('8:16');
    expect(() => parseDevAttr('8-16')).toThrow();
  });

  it('unescapes octal escapes only', () => {
    expect(unescapeOctal('a\\040b\\011c\\134d\\x')).toBe('a b\tc\\d\\x');
  });
});

describe('devNumberOf', () => {
  it('splits dev_t the way glibc encodes it', () => {
    expect(devNumberOf(0xfe00n)).toBe('254:0');
    expect(devNumberOf(0x0811n)).toBe('8:17');
    expect(devNumberOf(0x700n + 3n)).toBe('7:3');
    // Minor 300 of major 259 (blkext): minor bits above 8 live at bits 20-31.
    expect(devNumberOf((259n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n))).toBe('259:300');
    // Major 5000 needs the high bits (32-43).
    expect(devNumberOf(((5000n & 0xfffn) << 8n) | ((5000n & ~0xfffn) << 32n) | 1n)).toBe('5000:1');
    expect(majorOf('259:300')).toBe(259);
  });
});
