// The E01 building blocks that need no outside tool: names, header texts, checksums, error2
// entries and the raw-or-deflate choice.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { adler32 } from '../../../controller/formats/e01/adler32.ts';
import { decodeChunk, encodeChunkSync, looksIncompressible } from '../../../controller/formats/e01/chunk-codec.ts';
import { isal } from '../../../controller/formats/e01/isal-deflate.ts';
import { buildHeader, buildHeader2, parseHeaderText } from '../../../controller/formats/e01/header-text.ts';
import { decodeDescriptor, encodeDescriptor } from '../../../controller/formats/e01/section.ts';
import { isSegmentOf, MAX_SEGMENTS, segmentPath } from '../../../controller/formats/e01/segment-names.ts';
import { decodeError2, encodeError2, error2Entries } from '../../../controller/formats/e01/trailer-sections.ts';

describe('segment names', () => {
  it('counts E01-E99, then EAA-EZZ, then FAA onwards, keeping the first extension case', () => {
    expect(segmentPath('/x/a.E01', 1)).toBe('/x/a.E01');
    expect(segmentPath('/x/a.E01', 99)).toBe('/x/a.E99');
    expect(segmentPath('/x/a.E01', 100)).toBe('/x/a.EAA');
    expect(segmentPath('/x/a.E01', 125)).toBe('/x/a.EAZ');
    expect(segmentPath('/x/a.E01', 126)).toBe('/x/a.EBA');
    expect(segmentPath('/x/a.E01', 775)).toBe('/x/a.EZZ');
    expect(segmentPath('/x/a.E01', 776)).toBe('/x/a.FAA');
    expect(segmentPath('/x/a.E01', MAX_SEGMENTS)).toBe('/x/a.ZZZ');
    expect(segmentPath('/x/a.e01', 100)).toBe('/x/a.eaa');
    expect(() => segmentPath('/x/a.E01', MAX_SEGMENTS + 1)).toThrow(RangeError);
    expect(() => segmentPath('/x/a.img', 1)).toThrow(/must end in \.E01/);
  });

  it('recognises files of the same set only', () => {
    expect(isSegmentOf('/x/a.E01', 'a.E02')).toBe(true);
    expect(isSegmentOf('/x/a.E01', 'a.EAB')).toBe(true);
    expect(isSegmentOf('/x/a.E01', 'a.raw')).toBe(false);
    expect(isSegmentOf('/x/a.E01', 'a.map')).toBe(false);
    expect(isSegmentOf('/x/a.E01', 'ab.E02')).toBe(false);
    expect(isSegmentOf('/x/a.e01', 'a.e05')).toBe(true);
  });
});

describe('header texts', () => {
  const m = {
    caseNumber: 'C1',
    evidenceNumber: 'E\t2',
    examiner: 'Zoë Ø',
    description: 'line one\r\nline two',
    notes: 'n',
    model: 'M',
    serial: 'S',
    softwareVersion: '0.1.0-very-long-version',
    os: 'Linux',
    acquiredAt: new Date(2024, 4, 6, 7, 8, 9),
    systemDate: new Date(2024, 4, 6, 7, 8, 10),
  };

  it('header2 keeps every value (tabs and line breaks become spaces) and the dates to the second', () => {
    const back = parseHeaderText(buildHeader2(m));
    expect(back).toEqual({
      ...m,
      evidenceNumber: 'E 2',
      description: 'line one line two',
      softwareVersion: '0.1.0-very-',
      acquiredAt: m.acquiredAt,
      systemDate: m.systemDate,
    });
  });

  it('header is ASCII with CRLF lines and EnCase dates in local time', () => {
    const text = buildHeader(m);
    expect(text).toMatch(/^1\r\nmain\r\nc\tn\ta\te\tt\tav\tov\tm\tu\tp\r\n/);
    expect(text).toContain('\t2024 5 6 7 8 9\t');
    expect(/[^\x00-\x7f]/.test(text)).toBe(false);
    const back = parseHeaderText(text);
    expect(back.examiner).toBe('Zo? ?');
    expect(back.acquiredAt).toEqual(m.acquiredAt);
  });
});

describe('checksums and small sections', () => {
  it('Adler-32 equals the one zlib puts at the end of a stream', () => {
    const data = randomBytes(100_000);
    const z = zlib.deflateSync(data);
    expect(adler32(data)).toBe(z.readUInt32BE(z.length - 4));
    expect(adler32(Buffer.alloc(0))).toBe(1);
  });

  it('Adler-32 is right at every alignment and length, and on bytes that push the sums highest', () => {
    const big = randomBytes(70_000 + 8);
    for (const fill of [undefined, 255]) {
      if (fill !== undefined) big.fill(fill);
      for (const off of [0, 1, 2, 3, 4]) {
        for (const len of [0, 1, 63, 64, 65, 5551, 5552, 5553, 32768, 70_000]) {
          const data = big.subarray(off, off + len);
          const z = zlib.deflateSync(data, { level: 0 });
          expect(adler32(data)).toBe(z.readUInt32BE(z.length - 4));
        }
      }
    }
  });

  it('a section descriptor round-trips, and one flipped bit is caught', () => {
    const d = encodeDescriptor('table2', 1000, 168);
    expect(decodeDescriptor(d, 1000, 'f')).toEqual({ type: 'table2', offset: 1000, next: 1168, size: 168 });
    expect(decodeDescriptor(encodeDescriptor('done', 5000, 0), 5000, 'f')).toEqual({ type: 'done', offset: 5000, next: 5000, size: 0 });
    d[17] ^= 1;
    expect(() => decodeDescriptor(d, 1000, 'f')).toThrow('f: section descriptor at offset 1000 fails its Adler-32');
  });

  it('error2 splits ranges longer than 2^32 - 1 sectors and hands back what starts past 2^32 - 1', () => {
    const { entries, unrecorded } = error2Entries([
      { firstSector: 5, sectorCount: 3 },
      { firstSector: 0xffff_fff0, sectorCount: 0x20 },
      { firstSector: 2 ** 33, sectorCount: 7 },
    ]);
    expect(entries).toEqual([
      { firstSector: 5, sectorCount: 3 },
      { firstSector: 0xffff_fff0, sectorCount: 0x20 },
    ]);
    expect(unrecorded).toEqual([{ firstSector: 2 ** 33, sectorCount: 7 }]);
    expect(decodeError2(encodeError2(entries), 'f')).toEqual(entries);
    expect(error2Entries([{ firstSector: 0, sectorCount: 2 ** 32 + 1 }]).entries).toEqual([
      { firstSector: 0, sectorCount: 0xffff_ffff },
      { firstSector: 0xffff_ffff, sectorCount: 2 },
    ]);
  });
});

describe('chunk storage', () => {
  it('deflates what shrinks, stores random bytes raw with their Adler-32, and decodes both', async () => {
    const text = Buffer.from('abcdefgh'.repeat(4096));
    const random = randomBytes(32768);
    const t = encodeChunkSync(text, 'fast');
    expect(t.compressed).toBe(true);
    expect(t.size).toBeLessThan(1000);
    const r = encodeChunkSync(random, 'best');
    expect(r.compressed).toBe(false);
    expect(r.size).toBe(32772);
    expect(r.checksum!.readUInt32LE(0)).toBe(adler32(random));
    expect((await decodeChunk(t.body, true, 32768)).equals(text)).toBe(true);
    expect((await decodeChunk(Buffer.concat([r.body, r.checksum!]), false, 32768)).equals(random)).toBe(true);
    for (const length of [32768, 4096]) {
      const zeros = encodeChunkSync(Buffer.alloc(length), 'fast');
      expect(zeros.compressed).toBe(true);
      expect(zeros.size).toBeLessThan(200);
      expect((await decodeChunk(zeros.body, true, length)).equals(Buffer.alloc(length))).toBe(true);
    }
    const almost = Buffer.alloc(32768);
    almost[32767] = 1;
    expect((await decodeChunk(encodeChunkSync(almost, 'best').body, true, 32768)).equals(almost)).toBe(true);
    const none = encodeChunkSync(text, 'none');
    expect(none.compressed).toBe(false);
    expect(none.size).toBe(32772);
  });

  it('fast chunks go through ISA-L wherever it is installed, and ISA-L and zlib store the same chunks alike', async () => {
    if (existsSync('/usr/include/isa-l/igzip_lib.h') && process.env.IMAGEBOX_DEFLATE !== 'zlib') {
      expect(isal, 'npm ci builds build/isal-deflate.node (native/build.mjs)').toBeDefined();
    }
    const text = Buffer.from('sector drive image evidence read error\n'.repeat(900)).subarray(0, 32768);
    const random = randomBytes(32768);
    for (const igzip of isal ? [isal, undefined] : [undefined]) {
      const t = encodeChunkSync(text, 'fast', igzip);
      expect(t.compressed).toBe(true);
      expect(zlib.inflateSync(t.body).equals(text)).toBe(true);
      expect((await decodeChunk(t.body, true, 32768)).equals(text)).toBe(true);
      const r = encodeChunkSync(random, 'fast', igzip);
      expect(r.compressed).toBe(false);
      expect(r.checksum!.readUInt32LE(0)).toBe(adler32(random));
      expect(looksIncompressible(random, igzip)).toBe(true);
      expect(looksIncompressible(text, igzip)).toBe(false);
    }
    if (isal) {
      expect(isal.deflateChunk(random, new Uint8Array(100), 1)).toBe(-1);
      expect(isal.adler32(random)).toBe(adler32(random));
    }
  });

  it('judges random bytes hopeless, but not text, zeros, or random bytes with a zero run', () => {
    expect(looksIncompressible(randomBytes(32768))).toBe(true);
    expect(looksIncompressible(Buffer.alloc(32768))).toBe(false);
    expect(looksIncompressible(Buffer.from('The quick brown fox. '.repeat(1600)))).toBe(false);
    const mixed = randomBytes(32768);
    mixed.fill(0, 0, 4096);
    expect(looksIncompressible(mixed)).toBe(false);
  });

  it('reports a wrong length or a bad checksum', async () => {
    const data = Buffer.alloc(4096, 3);
    const stored = Buffer.concat([data, Buffer.alloc(4)]);
    stored.writeUInt32LE(adler32(data) ^ 1, 4096);
    await expect(decodeChunk(stored, false, 4096)).rejects.toThrow(/Adler-32 mismatch/);
    await expect(decodeChunk(zlib.deflateSync(data), true, 8192)).rejects.toThrow(/inflates to 4096 bytes, expected 8192/);
    await expect(decodeChunk(Buffer.from('not zlib'), true, 4096)).rejects.toThrow(/does not inflate/);
  });
});
