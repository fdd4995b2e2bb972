// Our E01 files judged by libewf (ewfverify, ewfinfo, ewfexport) and Sleuth Kit (img_stat), and
// read back by our own reader, including damage and the ranges a failing drive never gave up.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E01Reader } from '../../../controller/formats/e01/e01-reader.ts';
import type { E01Chunk } from '../../../controller/formats/e01/e01-reader.ts';
import { E01Writer } from '../../../controller/formats/e01/e01-writer.ts';
import type { E01WriterOptions } from '../../../controller/formats/e01/e01-writer.ts';
import type { E01Compression, SectorRange } from '../../../controller/formats/e01/e01-types.ts';
import { scanSegment } from '../../../controller/formats/e01/segment-scan.ts';
import { DESCRIPTOR_SIZE } from '../../../controller/formats/e01/section.ts';
import { COMPRESSED_FLAG, decodeTableEntries, decodeTableHeader } from '../../../controller/formats/e01/table.ts';
import { run } from '../../helpers/ddrescuelog.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

const haveEwf = ['ewfverify', 'ewfinfo', 'ewfexport'].every((t) => spawnSync(t, ['-V']).status === 0);
const haveTsk = spawnSync('img_stat', ['-V']).status === 0;
const NO_EWF = 'ewf-tools (ewfverify, ewfinfo, ewfexport) not on PATH (apt-get install ewf-tools)';
const NO_TSK = 'Sleuth Kit img_stat not on PATH (apt-get install sleuthkit)';

const METADATA = {
  caseNumber: 'CASE-2024-117',
  evidenceNumber: 'EV-03',
  examiner: 'R. Examiner',
  description: 'WD 500GB from desk 4',
  notes: 'seized 12:00, bag 44',
  acquiredAt: new Date('2024-05-06T07:08:09Z'),
  softwareVersion: '0.1.0',
  os: 'Linux',
  model: 'WDC WD5000AAKX',
  serial: 'WCAYU1234567',
};

/** Deterministic media: incompressible runs, zero runs and text, in uneven lengths. */
function media(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  const rnd = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  let at = 0;
  let kind = 0;
  while (at < size) {
    const n = Math.min(size - at, 20000 + (rnd() % 90000));
    if (kind === 0) for (let i = 0; i < n; i++) b[at + i] = rnd() & 0xff;
    else if (kind === 2) b.write(`sector text ${at} the quick brown fox `.repeat(Math.ceil(n / 30)).slice(0, n), at, 'latin1');
    at += n;
    kind = (kind + 1) % 3;
  }
  return b;
}

const digest = (algo: string, b: Buffer): Buffer => createHash(algo).update(b).digest();

async function writeImage(
  dir: string,
  data: Buffer,
  opts: Partial<E01WriterOptions> & { unreadRanges?: SectorRange[] } = {},
): Promise<string[]> {
  const w = await E01Writer.create({
    path: join(dir, 'img.E01'),
    mediaSize: data.length,
    bytesPerSector: 512,
    compression: 'fast',
    metadata: METADATA,
    ...opts,
  });
  // Uneven pieces, so chunk boundaries never line up with write boundaries.
  for (let at = 0, i = 0; at < data.length; i++) {
    const n = [777, 100_003, 32_768, 5][i % 4];
    await w.write(data.subarray(at, at + n));
    at += n;
  }
  const { segments } = await w.close({ md5: digest('md5', data), sha1: digest('sha1', data), unreadRanges: opts.unreadRanges });
  return segments;
}

async function readAllChunks(path: string): Promise<{ chunks: E01Chunk[]; reader: E01Reader }> {
  const reader = await E01Reader.open(path);
  const chunks: E01Chunk[] = [];
  for await (const c of reader.chunks()) chunks.push(c);
  return { chunks, reader };
}

describe.skipIf(!haveEwf)(`E01 writer against libewf${haveEwf ? '' : ` — SKIPPED: ${NO_EWF}`}`, () => {
  const cases: { bps: 512 | 4096; compression: E01Compression; size: number }[] = [
    { bps: 512, compression: 'fast', size: (1 << 20) + 7 * 512 },
    { bps: 512, compression: 'best', size: 3 * 32768 + 512 },
    { bps: 512, compression: 'none', size: (1 << 20) + 33 * 512 },
    { bps: 4096, compression: 'fast', size: (1 << 20) + 3 * 4096 },
    { bps: 4096, compression: 'none', size: 5 * 4096 },
  ];

  for (const c of cases) {
    it(`${c.compression}, ${c.bps}-byte sectors, ${c.size} bytes: ewfverify, ewfinfo, ewfexport and our reader agree`, async () => {
      const dir = await tempDir('imagebox-e01-');
      const data = media(c.size, c.size);
      const segments = await writeImage(dir, data, { bytesPerSector: c.bps, compression: c.compression });
      expect(segments).toEqual([join(dir, 'img.E01')]);

      const verify = await run('ewfverify', ['-q', '-d', 'sha1', segments[0]]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toContain(digest('md5', data).toString('hex'));

      const info = await run('ewfinfo', [segments[0]]);
      expect(info.stdout).toContain(`Case number:\t\t${METADATA.caseNumber}`);
      expect(info.stdout).toContain(`Examiner name:\t\t${METADATA.examiner}`);
      expect(info.stdout).toContain(`Evidence number:\t${METADATA.evidenceNumber}`);
      expect(info.stdout).toContain(`Description:\t\t${METADATA.description}`);
      expect(info.stdout).toContain(`Notes:\t\t\t${METADATA.notes}`);
      expect(info.stdout).toContain(`Bytes per sector:\t${c.bps}`);
      expect(info.stdout).toContain(`Number of sectors:\t${c.size / c.bps}`);
      expect(info.stdout).toContain(`MD5:\t\t\t${digest('md5', data).toString('hex')}`);
      expect(info.stdout).toContain(`SHA1:\t\t\t${digest('sha1', data).toString('hex')}`);
      expect(info.stdout).toMatch(c.compression === 'none' ? /Compression level:\s+no compression/ : /Compression level:\s+\S/);
      expect(info.stdout).not.toContain('Read errors during acquiry');

      const exported = join(dir, 'export');
      const ex = await run('ewfexport', ['-u', '-q', '-f', 'raw', '-t', exported, segments[0]]);
      expect(ex.code, ex.stderr).toBe(0);
      expect((await readFile(`${exported}.raw`)).equals(data)).toBe(true);

      const { chunks, reader } = await readAllChunks(segments[0]);
      expect(reader.mediaSize).toBe(c.size);
      expect(reader.bytesPerSector).toBe(c.bps);
      expect(reader.chunkSize).toBe(32768);
      expect(chunks.every((k) => 'data' in k)).toBe(true);
      expect(Buffer.concat(chunks.map((k) => ('data' in k ? k.data : Buffer.alloc(0)))).equals(data)).toBe(true);
      expect((await reader.read(c.size - 1000, 1000)).equals(data.subarray(c.size - 1000))).toBe(true);
      const [at, n] = [Math.floor(c.size / 3), Math.floor(c.size / 2)];
      expect((await reader.read(at, n)).equals(data.subarray(at, at + n))).toBe(true);
      expect(reader.storedMd5?.equals(digest('md5', data))).toBe(true);
      expect(reader.storedSha1?.equals(digest('sha1', data))).toBe(true);
      expect(reader.metadata).toMatchObject({ ...METADATA, systemDate: expect.any(Date) });
      expect(reader.unreadRanges).toEqual([]);
      await reader.close();
    });
  }

  it('splits into several segments within the segment size, named .E01, .E02, ...', async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = media(10 << 20, 9);
    const segments = await writeImage(dir, data, { segmentSize: 1 << 20, compression: 'best' });
    expect(segments.length).toBeGreaterThanOrEqual(3);
    expect(segments).toEqual(segments.map((_, i) => join(dir, `img.E${String(i + 1).padStart(2, '0')}`)));
    for (const s of segments) expect((await stat(s)).size).toBeLessThanOrEqual(1 << 20);
    const verify = await run('ewfverify', ['-q', segments[0]]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const ex = await run('ewfexport', ['-u', '-q', '-f', 'raw', '-t', join(dir, 'export'), segments[0]]);
    expect(ex.code, ex.stderr).toBe(0);
    expect((await readFile(join(dir, 'export.raw'))).equals(data)).toBe(true);
    const { chunks, reader } = await readAllChunks(segments[0]);
    expect(reader.segments).toEqual(segments);
    expect(Buffer.concat(chunks.map((k) => ('data' in k ? k.data : Buffer.alloc(0)))).equals(data)).toBe(true);
    await reader.close();
  });

  it('starts a new sectors/table group after 16375 chunks', async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = Buffer.alloc((16375 + 9) * 32768);
    data.write('not all zero', 5 * 32768 * 1000);
    const segments = await writeImage(dir, data);
    const fh = await open(segments[0], 'r');
    const layout = await scanSegment(fh, segments[0], 1);
    await fh.close();
    expect(layout.sections.map((s) => s.type).filter((t) => t === 'sectors' || t === 'table')).toEqual(['sectors', 'table', 'sectors', 'table']);
    const verify = await run('ewfverify', ['-q', segments[0]]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const reader = await E01Reader.open(segments[0]);
    const at = 16375 * 32768 - 10;
    expect((await reader.read(at, 20)).equals(data.subarray(at, at + 20))).toBe(true);
    await reader.close();
  }, 120_000);

  it('records unread sector ranges in error2, which ewfinfo lists and our reader returns', async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = media(2 << 20, 4);
    const unreadRanges = [
      { firstSector: 100, sectorCount: 8 },
      { firstSector: 4000, sectorCount: 1 },
    ];
    const segments = await writeImage(dir, data, { unreadRanges });
    const info = await run('ewfinfo', [segments[0]]);
    expect(info.stdout).toContain('Read errors during acquiry');
    expect(info.stdout).toContain('total number: 2');
    expect(info.stdout).toMatch(/at sector\(s\): 100 - 107 number: 8/);
    expect(info.stdout).toMatch(/at sector\(s\): 4000 - 4000 number: 1/);
    expect((await run('ewfverify', ['-q', segments[0]])).code).toBe(0);
    const reader = await E01Reader.open(segments[0]);
    expect(reader.unreadRanges).toEqual(unreadRanges);
    await reader.close();
  });

  it('shows non-ASCII case metadata, a removable logical medium, through ewfinfo', async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = media(64 * 512, 8);
    const w = await E01Writer.create({
      path: join(dir, 'u.E01'),
      mediaSize: data.length,
      bytesPerSector: 512,
      compression: 'fast',
      mediaType: 'removable',
      physical: false,
      metadata: { examiner: 'Jürgen Müller 検査', notes: 'two\tcolumns\nand lines' },
    });
    await w.write(data);
    await w.close({ md5: digest('md5', data) });
    const info = await run('ewfinfo', [join(dir, 'u.E01')]);
    expect(info.stdout).toContain('Examiner name:\t\tJürgen Müller 検査');
    expect(info.stdout).toContain('Notes:\t\t\ttwo columns and lines');
    expect(info.stdout).toMatch(/Media type:\s+removable disk/);
    expect(info.stdout).toMatch(/Is physical:\s+no/);
    expect((await run('ewfverify', ['-q', join(dir, 'u.E01')])).code).toBe(0);
  });

  it('our reader reads what ewfacquire writes, across segments', async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = media(6 << 20, 31);
    await writeFile(join(dir, 'src.raw'), data);
    const acq = await run('ewfacquire', ['-u', '-q', '-t', join(dir, 'theirs'), '-c', 'fast', '-S', '1M', '-d', 'sha1', '-C', 'K9', '-e', 'ewf examiner', join(dir, 'src.raw')]);
    expect(acq.code, acq.stderr).toBe(0);
    const { chunks, reader } = await readAllChunks(join(dir, 'theirs.E01'));
    expect(reader.segments.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks.map((k) => ('data' in k ? k.data : Buffer.alloc(0)))).equals(data)).toBe(true);
    expect(reader.metadata).toMatchObject({ caseNumber: 'K9', examiner: 'ewf examiner' });
    expect(reader.storedMd5?.equals(digest('md5', data))).toBe(true);
    expect(reader.storedSha1?.equals(digest('sha1', data))).toBe(true);
    await reader.close();
  });

  it.skipIf(!haveTsk)(`Sleuth Kit's img_stat reads it${haveTsk ? '' : ` — SKIPPED: ${NO_TSK}`}`, async () => {
    const dir = await tempDir('imagebox-e01-');
    const data = media(1 << 20, 12);
    const segments = await writeImage(dir, data, { segmentSize: 1 << 20 });
    const r = await run('img_stat', [segments[0]]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Image Type:\s+ewf/);
    expect(r.stdout).toMatch(new RegExp(`Size of data in bytes:\\s+${data.length}\\b`));
    expect(r.stdout).toContain(digest('md5', data).toString('hex'));
  });

  describe('damage', () => {
    /** File offset and flag of every chunk in the first segment, straight from its table. */
    async function chunkLocations(path: string): Promise<{ offset: number; size: number; compressed: boolean }[]> {
      const fh = await open(path, 'r');
      try {
        const layout = await scanSegment(fh, path, 1);
        const sectors = layout.sections.find((s) => s.type === 'sectors')!;
        const table = layout.sections.find((s) => s.type === 'table')!;
        const body = Buffer.alloc(table.size - DESCRIPTOR_SIZE);
        await fh.read(body, 0, body.length, table.offset + DESCRIPTOR_SIZE);
        const h = decodeTableHeader(body, path);
        const entries = decodeTableEntries(body, h.count, path);
        const starts = [...entries].map((e) => h.baseOffset + (e & ~COMPRESSED_FLAG));
        starts.push(sectors.offset + sectors.size);
        return [...entries].map((e, i) => ({ offset: starts[i], size: starts[i + 1] - starts[i], compressed: (e & COMPRESSED_FLAG) !== 0 }));
      } finally {
        await fh.close();
      }
    }

    async function flipByte(path: string, at: number): Promise<void> {
      const b = await readFile(path);
      b[at] ^= 0x40;
      await writeFile(path, b);
    }

    for (const kind of ['compressed', 'stored'] as const) {
      it(`a flipped byte inside a ${kind} chunk is reported for that chunk and its sectors; ewfverify fails`, async () => {
        const dir = await tempDir('imagebox-e01-');
        const data = media(1 << 20, 77);
        const [path] = await writeImage(dir, data);
        const locs = await chunkLocations(path);
        const victim = locs.findIndex((l, i) => i > 0 && l.compressed === (kind === 'compressed'));
        expect(victim).toBeGreaterThan(0);
        await flipByte(path, locs[victim].offset + Math.floor(locs[victim].size / 2));

        const { chunks, reader } = await readAllChunks(path);
        const bad = chunks.filter((c) => 'error' in c);
        expect(bad.map((c) => c.index)).toEqual([victim]);
        const err = bad[0] as Extract<E01Chunk, { error: string }>;
        const first = victim * 64;
        expect(err.error).toContain(`chunk ${victim} (sectors ${first}-${first + 63})`);
        expect(err.error).toContain(`${path} at offset ${locs[victim].offset}`);
        if (kind === 'stored') expect(err.error).toMatch(/Adler-32 mismatch/);
        expect(err.offset).toBe(victim * 32768);
        await expect(reader.read(victim * 32768 + 5, 10)).rejects.toThrow(`chunk ${victim} (sectors ${first}-${first + 63})`);
        expect((await reader.read(0, 32768)).equals(data.subarray(0, 32768))).toBe(true);
        await reader.close();

        const verify = await run('ewfverify', ['-q', path]);
        expect(verify.code).not.toBe(0);
      });
    }

    it('a damaged section descriptor stops open, naming the file and offset', async () => {
      const dir = await tempDir('imagebox-e01-');
      const [path] = await writeImage(dir, media(100 * 512, 3));
      const fh = await open(path, 'r');
      const layout = await scanSegment(fh, path, 1);
      await fh.close();
      const volume = layout.sections.find((s) => s.type === 'volume')!;
      await flipByte(path, volume.offset + 20);
      await expect(E01Reader.open(path)).rejects.toThrow(`${path}: section descriptor at offset ${volume.offset} fails its Adler-32`);
    });

    it('a damaged table falls back to its table2 mirror and says so', async () => {
      const dir = await tempDir('imagebox-e01-');
      const data = media(300 * 512, 5);
      const [path] = await writeImage(dir, data);
      const fh = await open(path, 'r');
      const layout = await scanSegment(fh, path, 1);
      await fh.close();
      const table = layout.sections.find((s) => s.type === 'table')!;
      await flipByte(path, table.offset + DESCRIPTOR_SIZE + 24 + 5);
      const { chunks, reader } = await readAllChunks(path);
      expect(chunks.every((c) => 'data' in c)).toBe(true);
      expect(reader.problems.join('\n')).toMatch(/table entries fail their Adler-32.*table2 mirror was used/);
      await reader.close();
    });
  });
});

describe('E01 writer refusals', () => {
  const base = { mediaSize: 64 * 512, bytesPerSector: 512 as const, compression: 'fast' as const, metadata: METADATA };

  it('never writes over an existing first segment, or beside stale segments of the same name', async () => {
    const dir = await tempDir('imagebox-e01-');
    const path = join(dir, 'x.E01');
    await writeFile(path, 'precious');
    await expect(E01Writer.create({ ...base, path })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'latin1')).toBe('precious');

    const other = join(dir, 'y.E01');
    await writeFile(join(dir, 'y.E02'), 'stale');
    await expect(E01Writer.create({ ...base, path: other })).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(stat(other)).rejects.toMatchObject({ code: 'ENOENT' });
    // A file that only shares the stem is no segment and does not block.
    await writeFile(join(dir, 'z.raw'), 'raw');
    const w = await E01Writer.create({ ...base, path: join(dir, 'z.E01') });
    await w.abort();
  });

  it('refuses media sizes that are not whole sectors, names not ending .E01, and tiny segments', async () => {
    const dir = await tempDir('imagebox-e01-');
    await expect(E01Writer.create({ ...base, path: join(dir, 'a.E01'), mediaSize: 1000 })).rejects.toThrow(/whole number of 512-byte sectors/);
    await expect(E01Writer.create({ ...base, path: join(dir, 'a.img') })).rejects.toThrow(/must end in \.E01/);
    await expect(E01Writer.create({ ...base, path: join(dir, 'a.E01'), segmentSize: 1000 })).rejects.toThrow(/1 MiB minimum/);
  });

  it('refuses bytes past the media size, and a close before every byte arrived', async () => {
    const dir = await tempDir('imagebox-e01-');
    const w = await E01Writer.create({ ...base, path: join(dir, 'b.E01') });
    await expect(w.write(Buffer.alloc(base.mediaSize + 1))).rejects.toThrow(/media size is 32768/);
    await expect(w.write(Buffer.alloc(512))).rejects.toThrow(/has failed earlier/);
    await w.abort();
    const v = await E01Writer.create({ ...base, path: join(dir, 'c.E01') });
    await v.write(Buffer.alloc(512));
    await expect(v.close({ md5: Buffer.alloc(16) })).rejects.toThrow(/only 512 of 32768 media bytes/);
  });
});
