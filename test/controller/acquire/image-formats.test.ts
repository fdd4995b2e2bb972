// `imagebox image` and `imagebox verify` through the real command, one format at a time: the image
// holds the source's bytes, the hashes are the source's, the peers' validators accept it, and a
// byte flipped in it is caught by verify, which names where.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/rescue-run.ts';
import { mixedBytes } from '../formats/fixtures.ts';

const has = (tool: string, arg = '-V') => spawnSync(tool, [arg]).status === 0;
const haveEwf = has('ewfverify') && has('ewfinfo');
const haveTsk = has('img_stat');
const haveZstd = has('zstd');
const SIZE = 12 * 2 ** 20 + 3 * 4096;

let dir: string;
let source: string;
let data: Buffer;
const digest = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

async function flipByte(file: string, at: number): Promise<void> {
  const fh = await open(file, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, at);
  b[0] ^= 0x5a;
  await fh.write(b, 0, 1, at);
  await fh.close();
}

async function image(out: string, ...extra: string[]) {
  const r = await runCli(['image', source, join(dir, out), '-q', '--hash', 'md5,sha1,sha256', '--case', 'CASE-7', '--examiner', 'R. Examiner', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

async function recordOf(base: string) {
  return JSON.parse(await readFile(join(dir, `${base}.json`), 'utf8'));
}

beforeAll(async () => {
  dir = await tempDir('imagebox-image-');
  source = join(dir, 'source.bin');
  data = mixedBytes(SIZE, 11);
  await writeFile(source, data);
});

describe('imagebox image, each format', () => {
  it('raw: the image is the source, hashes and md5sum -c agree, piecewise windows name a flipped byte', async () => {
    await image('a.raw', '--hash-window', '1MiB');
    expect((await readFile(join(dir, 'a.raw'))).equals(data)).toBe(true);
    const rec = await recordOf('a');
    expect(Object.fromEntries(rec.hashes.map((h: { algorithm: string; hex: string }) => [h.algorithm, h.hex]))).toEqual({
      md5: digest('md5', data), sha1: digest('sha1', data), sha256: digest('sha256', data),
    });
    expect(rec.case).toMatchObject({ caseNumber: 'CASE-7', examiner: 'R. Examiner' });
    expect(rec.unread.sectorCount).toBe(0);
    for (const algo of ['md5', 'sha256']) expect(spawnSync(`${algo}sum`, ['-c', `a.${algo}`], { cwd: dir }).status).toBe(0);
    expect((await runCli(['verify', join(dir, 'a.raw')])).code).toBe(0);

    await flipByte(join(dir, 'a.raw'), 5 * 2 ** 20 + 777);
    const v = await runCli(['verify', join(dir, 'a.raw')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/piecewise window at image bytes 5242880-6291455 \(sectors 10240-12287\) differs/);
    expect(v.stdout.match(/piecewise window/g)).toHaveLength(1);
  });

  it('raw with --hash md5: the file has the image MD5, and only its SHA-256 is taken besides', async () => {
    await image('m.raw', '--hash', 'md5');
    const rec = await recordOf('m');
    expect(rec.hashes.map((h: { algorithm: string }) => h.algorithm)).toEqual(['md5']);
    expect(rec.output.segments).toHaveLength(1);
    expect(Object.fromEntries(rec.output.segments[0].hashes.map((h: { algorithm: string; hex: string }) => [h.algorithm, h.hex]))).toEqual({
      md5: digest('md5', data), sha256: digest('sha256', data),
    });
    for (const algo of ['md5', 'sha256']) expect(spawnSync(`${algo}sum`, ['-c', `m.${algo}`], { cwd: dir }).status).toBe(0);
  });

  it('split raw: segments named after the first, the concatenation is the source, a flipped byte names its segment', async () => {
    await image('b.001', '--split-size', '5MiB');
    const segs = (await readdir(dir)).filter((n) => /^b\.\d{3}$/.test(n)).sort();
    expect(segs).toEqual(['b.001', 'b.002', 'b.003']);
    const joined = Buffer.concat(await Promise.all(segs.map((s) => readFile(join(dir, s)))));
    expect(joined.equals(data)).toBe(true);
    expect(spawnSync('md5sum', ['-c', 'b.md5'], { cwd: dir }).status).toBe(0);
    expect((await runCli(['verify', join(dir, 'b.001')])).code).toBe(0);
    await flipByte(join(dir, 'b.002'), 100);
    const v = await runCli(['verify', join(dir, 'b.001')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL file b\.002: MD5 is/);
    expect(v.stdout).not.toMatch(/file b\.00[13]/);
  });

  it.skipIf(!haveEwf)(`E01: ewfverify passes, ewfinfo shows our case data and hashes, img_stat reads it, a flipped byte names its chunk${haveEwf ? '' : ' — SKIPPED: ewf-tools missing (apt-get install ewf-tools)'}`, async () => {
    await image('c.E01', '--compression', 'fast', '--evidence', 'EV-1');
    expect(spawnSync('ewfverify', ['-q', join(dir, 'c.E01')]).status).toBe(0);
    const info = spawnSync('ewfinfo', [join(dir, 'c.E01')], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Case number:\s+CASE-7/);
    expect(info).toMatch(/Examiner name:\s+R\. Examiner/);
    expect(info).toMatch(/Evidence number:\s+EV-1/);
    expect(info).toContain(digest('md5', data));
    expect(info).toContain(digest('sha1', data));
    if (haveTsk) expect(spawnSync('img_stat', [join(dir, 'c.E01')], { encoding: 'utf8' }).stdout).toMatch(new RegExp(`Size of data in bytes:\\s+${SIZE}`));
    expect((await runCli(['verify', join(dir, 'c.E01')])).code).toBe(0);
    // Past the headers: inside the chunk data.
    await flipByte(join(dir, 'c.E01'), 4_000_000);
    const v = await runCli(['verify', join(dir, 'c.E01')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL \S*c\.E01 at offset \d+ \(image bytes \d+-\d+, sectors \d+-\d+\): chunk \d+/);
    expect(spawnSync('ewfverify', ['-q', join(dir, 'c.E01')]).status).not.toBe(0);
  });

  it.skipIf(!haveEwf)(`E01 in segments: each segment's hashes, taken as it was written, pass md5sum -c and sha256sum -c${haveEwf ? '' : ' — SKIPPED: ewf-tools missing'}`, async () => {
    await image('s.E01', '--compression', 'fast', '--split-size', '2MiB');
    const segs = (await readdir(dir)).filter((n) => /^s\.E\d\d$/.test(n)).sort();
    expect(segs.length).toBeGreaterThan(1);
    expect(spawnSync('ewfverify', ['-q', join(dir, 's.E01')]).status).toBe(0);
    for (const algo of ['md5', 'sha256']) {
      const list = await readFile(join(dir, `s.${algo}`), 'utf8');
      for (const seg of segs) expect(list).toContain(`  ${seg}\n`);
      expect(spawnSync(`${algo}sum`, ['-c', `s.${algo}`], { cwd: dir }).status).toBe(0);
    }
    // The image's SHA-1 is in the record; the segments get MD5 and SHA-256 only.
    expect((await recordOf('s')).output.segments.every((g: { hashes: { algorithm: string }[] }) => g.hashes.map((h) => h.algorithm).join() === 'md5,sha256')).toBe(true);
    expect(existsSync(join(dir, 's.sha1'))).toBe(false);
    await flipByte(join(dir, segs[1]), 200_000);
    expect(spawnSync('md5sum', ['-c', 's.md5'], { cwd: dir }).status).toBe(1);
  });

  it.skipIf(!haveZstd)(`zst: zstd -t passes, zstd -dc gives the source back, a flipped byte names its frame${haveZstd ? '' : ' — SKIPPED: zstd missing'}`, async () => {
    await image('d.zst');
    expect(spawnSync('zstd', ['-q', '-t', join(dir, 'd.zst')]).status).toBe(0);
    const out = spawnSync('zstd', ['-q', '-dc', join(dir, 'd.zst')], { maxBuffer: 64 * 2 ** 20 }).stdout as Buffer;
    expect(out.equals(data)).toBe(true);
    for (const algo of ['md5', 'sha256']) expect(spawnSync(`${algo}sum`, ['-c', `d.${algo}`], { cwd: dir }).status).toBe(0);
    expect((await runCli(['verify', join(dir, 'd.zst')])).code).toBe(0);
    await flipByte(join(dir, 'd.zst'), 3_000_000);
    const v = await runCli(['verify', join(dir, 'd.zst')]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL \S*d\.zst frame \d+ \(bytes \d+-\d+\) \(image bytes \d+-\d+, sectors \d+-\d+\)/);
  });
});

describe('imagebox image refuses, and verify --source', () => {
  it('never writes over an existing image, and says so in one line', async () => {
    await writeFile(join(dir, 'taken.raw'), 'keep me');
    const r = await runCli(['image', source, join(dir, 'taken.raw'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readFile(join(dir, 'taken.raw'), 'utf8')).toBe('keep me');
  });

  it('refuses the source as its own image, and an unknown extension', async () => {
    expect((await runCli(['image', source, source, '--format', 'raw', '-q'])).code).toBe(2);
    const r = await runCli(['image', source, join(dir, 'x.bin'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot tell the format/);
  });

  it('verify --source names the sector where the source no longer matches the image', async () => {
    const copy = join(dir, 'src2.bin');
    await writeFile(copy, data);
    const r = await runCli(['image', copy, join(dir, 'e.raw'), '-q']);
    expect(r.code).toBe(0);
    expect((await runCli(['verify', join(dir, 'e.raw'), '--source', copy])).code).toBe(0);
    await flipByte(copy, 512 * 1000 + 3);
    const v = await runCli(['verify', join(dir, 'e.raw'), '--source', copy]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/FAIL sector 1000 differs between the source and the image/);
  });
});
