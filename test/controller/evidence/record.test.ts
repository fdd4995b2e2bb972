import { describe, expect, it } from 'vitest';
import { SectorMap } from '../../../controller/rescue/sector-map.ts';
import { reportHtml } from '../../../controller/evidence/report-html.ts';
import { reportText } from '../../../controller/evidence/report-text.ts';
import { validateRecord, RecordError } from '../../../controller/evidence/record-schema.ts';
import { unreadFromBlocks, unreadFromMap } from '../../../controller/evidence/unread.ts';
import { makeRecord } from './fixture-record.ts';

const MD5 = '0123456789abcdef0123456789abcdef';
const SHA256 = 'ab'.repeat(32);
const MiB = 1048576;

/** 1,234 unread sectors: 1,000 bad ones and 234 never scraped. */
function damagedMap(): SectorMap {
  const m = new SectorMap(MiB, '+');
  m.set(100 * 512, 1000 * 512, '-');
  m.set(1500 * 512, 234 * 512, '/');
  return m;
}

describe('unread ranges', () => {
  it('come from a sector map as byte and sector ranges, every unfinished status counted', () => {
    const u = unreadFromMap(damagedMap(), 512);
    expect(u).toEqual({
      fill: 'zeros',
      byteCount: 1234 * 512,
      sectorCount: 1234,
      ranges: [
        { startByte: 51200, endByte: 563200, sizeBytes: 512000, firstSector: 100, lastSector: 1099, sectorCount: 1000, status: 'bad-sector' },
        { startByte: 768000, endByte: 887808, sizeBytes: 119808, firstSector: 1500, lastSector: 1733, sectorCount: 234, status: 'non-scraped' },
      ],
    });
  });

  it('are cut to the imaged extent, and use the sector size given', () => {
    const u = unreadFromMap(damagedMap(), 4096, { pos: 4096 * 100, size: 4096 * 100 });
    expect(u.ranges).toEqual([
      { startByte: 409600, endByte: 563200, sizeBytes: 153600, firstSector: 100, lastSector: 137, sectorCount: 38, status: 'bad-sector' },
      { startByte: 768000, endByte: 819200, sizeBytes: 51200, firstSector: 187, lastSector: 199, sectorCount: 13, status: 'non-scraped' },
    ]);
  });

  it('come from a list of blocks, sorted and joined', () => {
    const u = unreadFromBlocks([{ pos: 4096, size: 512 }, { pos: 0, size: 1024 }, { pos: 512, size: 1024 }], 512);
    expect(u.ranges.map((r) => [r.startByte, r.endByte, r.firstSector, r.lastSector])).toEqual([[0, 1536, 0, 2], [4096, 4608, 8, 8]]);
    expect(u.sectorCount).toBe(4);
  });
});

describe('the reports never claim more than was read', () => {
  it('say how many unread sectors were filled with zeros, and list them', () => {
    const r = makeRecord(unreadFromMap(damagedMap(), 512), { md5: MD5, sha256: SHA256 });
    for (const report of [reportText(r, 'case1'), reportHtml(r, 'case1')]) {
      expect(report).toContain(`MD5 of the image, with 1,234 unread sectors filled with zeros: ${MD5}`);
      expect(report).toContain(`SHA-256 of the image, with 1,234 unread sectors filled with zeros: ${SHA256}`);
      expect(report).not.toMatch(/every sector read/);
      expect(report).toContain('1,234 of the 2,048 sectors imaged (631,808 bytes, 2 ranges) were not read');
      expect(report).toContain('1,099');
      expect(report).toContain('887,808');
      expect(report).toContain('non-scraped');
    }
    const text = reportText(r, 'case1');
    expect(text).toMatch(/51,200 +563,200 +512,000 +100 +1,099 +1,000 +bad-sector/);
    expect(text).toContain(`MD5 of the image, with 1,234 unread sectors filled with zeros: ${MD5}`);
  });

  it('say "every sector read" only when none is missing, and count one sector as one', () => {
    const all = makeRecord(unreadFromMap(new SectorMap(MiB, '+'), 512), { md5: MD5 });
    const text = reportText(all, 'ok');
    expect(text).toContain(`MD5 of the image (every sector read): ${MD5}`);
    expect(text).toContain('Every one of the 2,048 sectors imaged was read.');
    expect(reportHtml(all, 'ok')).toContain(`MD5 of the image (every sector read): ${MD5}`);

    const one = makeRecord(unreadFromBlocks([{ pos: 512, size: 512 }], 512), { md5: MD5 });
    expect(reportText(one, 'x')).toContain(`MD5 of the image, with 1 unread sector filled with zeros: ${MD5}`);
  });

  it('say that a matching verification does not prove every sector was read', () => {
    const r = makeRecord(unreadFromMap(damagedMap(), 512), { md5: MD5 }, {
      verification: { result: 'match', method: 'image read back and hashed', hashes: [{ algorithm: 'md5', hex: MD5 }] },
    });
    expect(reportText(r, 'x')).toContain('Verified (image read back and hashed): the MD5 match the acquisition hashes. A match shows the image is unchanged since acquisition, not that every sector was read.');
    const bad = makeRecord(unreadFromMap(damagedMap(), 512), { md5: MD5 }, {
      verification: { result: 'mismatch', method: 'image read back and hashed', hashes: [{ algorithm: 'md5', hex: MD5 }], mismatchedWindows: [{ offset: 0, length: 1024 }] },
    });
    expect(reportText(bad, 'x')).toContain('VERIFICATION FAILED (image read back and hashed): the MD5 do not match the acquisition hashes. Windows that differ: bytes 0-1,024.');
    expect(reportText(makeRecord(unreadFromBlocks([], 512), { md5: MD5 }), 'x')).toContain('The image was not verified.');
  });

  it('print case, device, write-block state and times; HTML is escaped and has print CSS', () => {
    const r = makeRecord(unreadFromBlocks([], 512), { md5: MD5 });
    const text = reportText(r, 'case1');
    for (const s of ['2024-117', 'TOSHIBA MQ01ABD050', 'X1234', 'AX001U', '1,048,576 bytes (2,048 sectors)', 'FAILED', 'kernel read-only flag set and read back', '2024-05-03T10:00:02.000Z', '0h 00m 02s', '0.5 MB/s']) {
      expect(text).toContain(s);
    }
    const html = reportHtml(r, 'case1');
    expect(html).toContain('Laptop disk &lt;Toshiba&gt; &amp; co');
    expect(html).not.toContain('<Toshiba>');
    expect(html).toContain('@media print');
  });
});

describe('validateRecord', () => {
  it('accepts a record read back from JSON, and lists every problem of a broken one', () => {
    const r = makeRecord(unreadFromMap(damagedMap(), 512), { md5: MD5 });
    expect(validateRecord(JSON.parse(JSON.stringify(r)))).toEqual(r);
    const broken = JSON.parse(JSON.stringify(r));
    broken.hashes[0].hex = 'XYZ';
    broken.unread.sectorCount = 5;
    broken.output.segments = [{ file: '../escape.img', sizeBytes: 1, hashes: [] }];
    try {
      validateRecord(broken);
      expect.unreachable();
    } catch (e) {
      expect((e as RecordError).problems).toEqual([
        'output.segments[0].file must be a path inside the record\'s folder',
        'hashes[0].hex is not a lowercase md5 hex digest',
        'unread.sectorCount 5 is not the sum of the ranges (1234)',
      ]);
    }
  });

  it('refuses an extent that is not whole sectors, or unread ranges outside it', () => {
    expect(() => makeRecord(unreadFromBlocks([], 512), {}, { imaged: { sizeBytes: 1000, sectorSize: 512 } })).toThrow(/whole/);
    expect(() => makeRecord(unreadFromBlocks([{ pos: MiB, size: 512 }], 512), {})).toThrow(/outside/);
  });
});
