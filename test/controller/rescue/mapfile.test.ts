import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Area, Status } from '../../../controller/rescue/block.ts';
import { MapfileError, formatMapfile, parseMapfile, type MapState } from '../../../controller/rescue/mapfile.ts';
import { loadMapfile, saveMapfile } from '../../../controller/rescue/mapfile-save.ts';
import { SectorMap } from '../../../controller/rescue/sector-map.ts';
import { NO_DDRESCUE, compareWithDdrescuelog, ddrescuelogTotals, haveDdrescue, run } from '../../helpers/ddrescuelog.ts';
import { rng } from '../../helpers/rng.ts';

const dir = mkdtempSync(join(tmpdir(), 'imagebox-mapfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const fresh = (name: string): string => join(dir, `${fileNo++}-${name}`);

const STATE: MapState = { currentPos: 0x10000, currentStatus: '?', currentPass: 1 };


/** A map of `count` random areas of 1-4 sectors, every status used, adjacent statuses different. */
function randomMap(seed: number, count: number, statuses: readonly Status[] = ['?', '*', '/', '-', '+']): SectorMap {
  const rand = rng(seed);
  const areas: Area[] = [];
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const prev = areas[areas.length - 1]?.status;
    let st: Status;
    do st = statuses[Math.floor(rand() * statuses.length)];
    while (st === prev);
    const size = 512 * (1 + Math.floor(rand() * 4));
    areas.push({ pos, size, status: st });
    pos += size;
  }
  return SectorMap.fromAreas(pos, areas);
}

/** The block lines of a mapfile (everything after the status line), for comparing with ddrescue's. */
function blockLines(text: string): string[] {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  return lines.slice(1);
}

describe('parseMapfile / formatMapfile', () => {
  it('writes the layout ddrescue writes', () => {
    const map = SectorMap.fromAreas(0x100000, [
      { pos: 0, size: 0x20000, status: '+' },
      { pos: 0x20000, size: 0x200, status: '-' },
      { pos: 0x20200, size: 0xdfe00, status: '?' },
    ]);
    const text = formatMapfile(map, { currentPos: 0x20200, currentStatus: '*', currentPass: 2 }, {
      commandLine: 'imagebox rescue /dev/sdb img',
      startTime: new Date(2024, 4, 1, 13, 45, 7),
      now: new Date(2024, 4, 1, 14, 0, 9),
      finished: true,
    });
    expect(text).toBe(
      '# Mapfile. Created by imagebox\n' +
        '# Command line: imagebox rescue /dev/sdb img\n' +
        '# Start time:   2024-05-01 13:45:07\n' +
        '# Current time: 2024-05-01 14:00:09\n' +
        '# Finished\n' +
        '# current_pos  current_status  current_pass\n' +
        '0x00020200     *               2\n' +
        '#      pos        size  status\n' +
        '0x00000000  0x00020000  +\n' +
        '0x00020000  0x00000200  -\n' +
        '0x00020200  0x000DFE00  ?\n',
    );
  });

  it('round-trips a map and its state', () => {
    const map = randomMap(7, 500);
    const state: MapState = { currentPos: 0x123400, currentStatus: 'G', currentPass: 4 };
    const parsed = parseMapfile(formatMapfile(map, state, { commandLine: 'x' }), { size: map.size });
    expect(parsed.state).toEqual(state);
    expect(parsed.map.equals(map)).toBe(true);
    expect(parsed.map.areaCount).toBe(500);
  });

  it('accepts any case and width, blank lines, CRLF, and a missing pass', () => {
    const { state, map } = parseMapfile('# hi\r\n\r\n  0x1f  /\r\n0x0 0x10 +\r\n0X10   0xfF   -\n0x10F 0x1 -\n', {});
    expect(state).toEqual({ currentPos: 0x1f, currentStatus: '/', currentPass: 1 });
    expect(map.size).toBe(0x110);
    // ddrescue merges equal neighbours; so do we.
    expect([...map.areas()]).toEqual([
      { pos: 0, size: 0x10, status: '+' },
      { pos: 0x10, size: 0x100, status: '-' },
    ]);
  });

  it('takes a status line and no blocks for an empty source only', () => {
    expect(parseMapfile('0x0 ? 1\n', { size: 0 }).map.areaCount).toBe(0);
    expect(() => parseMapfile('0x0 ? 1\n', { size: 512 })).toThrow('mapfile line 1: mapfile covers 0x00000000 bytes but the source has 0x00000200');
  });

  const refusals: Array<[string, string, string]> = [
    ['an empty file', '', 'm.map line 1: no status line'],
    ['only comments', '# a\n# b\n', 'm.map line 2: no status line'],
    ['a malformed status line', '0x0\n0x0 0x200 +\n', 'm.map line 1: malformed status line'],
    ['an unknown phase', '0x0 X 1\n0x0 0x200 +\n', "m.map line 1: unknown status 'X'"],
    ['a pass of 0', '0x0 + 0\n0x0 0x200 +\n', "m.map line 1: invalid pass '0'"],
    ['a malformed block line', '0x0 + 1\n0x0 0x200\n', 'm.map line 2: malformed block line'],
    ['extra fields', '0x0 + 1\n0x0 0x200 + junk\n', 'm.map line 2: malformed block line'],
    ['an unknown block status', '#c\n0x0 + 1\n0x0 0x200 F\n', "m.map line 3: unknown status 'F'"],
    ['a negative number', '0x0 + 1\n0x0 -0x200 +\n', "m.map line 2: negative size '-0x200'"],
    ['a decimal number', '0x0 + 1\n0x0 512 +\n', "m.map line 2: size '512' is not a hex number"],
    ['junk in a number', '0x0 + 1\n0x0 0x2g0 +\n', "m.map line 2: size '0x2g0' is not a hex number"],
    ['a huge number', '0x0 + 1\n0x0 0x1000000000000000 +\n', "m.map line 2: size '0x1000000000000000' is too large"],
    ['a first block not at 0', '0x0 + 1\n0x200 0x200 +\n', 'm.map line 2: first block starts at 0x00000200, not at 0'],
    ['overlapping blocks', '0x0 + 1\n0x0 0x200 +\n0x100 0x200 -\n0x300 0x100 +\n', 'm.map line 3: blocks overlap or are not contiguous (expected pos 0x00000200)'],
    ['a gap', '0x0 + 1\n0x0 0x200 +\n0x300 0x100 -\n', 'm.map line 3: blocks overlap or are not contiguous (expected pos 0x00000200)'],
    ['a block of size 0', '0x0 + 1\n0x0 0x200 +\n0x200 0x0 -\n0x200 0x200 +\n', 'm.map line 3: block of size 0'],
    ['a map shorter than the source', '0x0 + 1\n0x0 0x200 +\n0x200 0x200 -\n# end\n', 'm.map line 3: mapfile covers 0x00000400 bytes but the source has 0x00000800'],
    ['a map longer than the source', '0x0 + 1\n0x0 0x1000 +\n', 'm.map line 2: mapfile covers 0x00001000 bytes but the source has 0x00000800'],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what}`, () => {
      let err: unknown;
      try {
        parseMapfile(text, { size: 0x800, path: 'm.map' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MapfileError);
      expect((err as MapfileError).message).toContain(message);
      expect((err as MapfileError).path).toBe('m.map');
      expect((err as MapfileError).line).toBe(Number(/line (\d+)/.exec(message)![1]));
    });
  }
});

describe('saveMapfile / loadMapfile', () => {
  it('saves, keeps the previous map as .bak, and loads', async () => {
    const path = fresh('map');
    const first = randomMap(1, 50);
    await saveMapfile(path, first, STATE);
    expect(existsSync(`${path}.bak`)).toBe(false);
    expect((await loadMapfile(path, first.size)).map.equals(first)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());

    const second = first.clone();
    second.set(0, 512, '-');
    await saveMapfile(path, second, { ...STATE, currentPass: 2 });
    const loaded = await loadMapfile(path, first.size);
    expect(loaded.map.equals(second)).toBe(true);
    expect(loaded.state.currentPass).toBe(2);
    expect((await loadMapfile(`${path}.bak`, first.size)).map.equals(first)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith(path.slice(dir.length + 1)) && f.endsWith('.tmp'))).toEqual([]);
  });

  it('names the file in load errors', async () => {
    const path = fresh('bad.map');
    writeFileSync(path, '0x0 + 1\n0x0 0x200 +\n');
    await expect(loadMapfile(path, 0x400)).rejects.toThrow(`${path} line 2: mapfile covers 0x00000200 bytes but the source has 0x00000400`);
  });

  it('leaves the old map untouched when the save fails before writing', async () => {
    const path = fresh('map');
    await saveMapfile(path, randomMap(2, 20), STATE);
    const before = readFileSync(path, 'utf8');
    mkdirSync(`${path}.tmp`);
    writeFileSync(join(`${path}.tmp`, 'x'), '');
    await expect(saveMapfile(path, randomMap(3, 20), STATE)).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('leaves the old map untouched when writing fails midway', async () => {
    const path = fresh('map');
    const old = randomMap(4, 100);
    await saveMapfile(path, old, STATE);
    const before = readFileSync(path, 'utf8');
    const big = randomMap(5, 20_000); // ~560 KB of text, well over the 64 KiB file-size limit below
    const bigPath = fresh('big.map');
    writeFileSync(bigPath, formatMapfile(big, STATE));
    // With RLIMIT_FSIZE the kernel stops the .tmp at 64 KiB: a short write, then EFBIG, as a full disk does.
    const script = [
      `import { loadMapfile, saveMapfile } from ${JSON.stringify(new URL('../../../controller/rescue/mapfile-save.ts', import.meta.url).pathname)};`,
      `const { map, state } = await loadMapfile(${JSON.stringify(bigPath)}, ${big.size});`,
      `await saveMapfile(${JSON.stringify(path)}, map, state);`,
    ].join('\n');
    const scriptPath = fresh('save.mts');
    writeFileSync(scriptPath, script);
    const r = spawnSync('bash', ['-c', 'ulimit -f 64; exec "$0" "$1"', process.execPath, scriptPath], { encoding: 'utf8' });
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(/EFBIG/);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('replaces a torn .tmp left by a save that was killed', async () => {
    const path = fresh('map');
    const old = randomMap(6, 30);
    await saveMapfile(path, old, STATE);
    writeFileSync(`${path}.tmp`, '0x0 ? 1\n0x00000000  0x000');
    const next = randomMap(8, 30);
    await saveMapfile(path, next, STATE);
    expect((await loadMapfile(path, next.size)).map.equals(next)).toBe(true);
    expect((await loadMapfile(`${path}.bak`, old.size)).map.equals(old)).toBe(true);
  });
});

describe.skipIf(!haveDdrescue)('against GNU ddrescue', () => {
  it('ddrescuelog accepts our map and finds the same totals', async () => {
    const map = randomMap(11, 300);
    expect(map.size).toBeLessThan(1e6); // ddrescuelog prints exact byte counts below 10^6
    const path = fresh('ours.map');
    const state: MapState = { currentPos: 0x4600, currentStatus: '/', currentPass: 1 };
    await saveMapfile(path, map, state, { commandLine: 'test', finished: false });
    const t = await ddrescuelogTotals(path);
    expect(t.exact).toBe(true);
    expect(t.currentPos).toBe(0x4600);
    expect(t.extent).toEqual({ bytes: map.size, areas: map.areaCount });
    expect(t.nonTried).toEqual({ bytes: map.bytes('?'), areas: map.count('?') });
    expect(t.rescued).toEqual({ bytes: map.bytes('+'), areas: map.count('+') });
    expect(t.nonTrimmed).toEqual({ bytes: map.bytes('*'), areas: map.count('*') });
    expect(t.nonScraped).toEqual({ bytes: map.bytes('/'), areas: map.count('/') });
    expect(t.badSector).toEqual({ bytes: map.bytes('-'), areas: map.count('-') });
  });

  it('compares maps with ddrescuelog -p', async () => {
    const a = fresh('a.map');
    const b = fresh('b.map');
    const c = fresh('c.map');
    const map = randomMap(12, 200);
    await saveMapfile(a, map, STATE);
    await saveMapfile(b, map, { currentPos: 0, currentStatus: '+', currentPass: 3 });
    const other = map.clone();
    other.set(1024, 512, other.areaAt(1024).status === '-' ? '+' : '-');
    await saveMapfile(c, other, STATE);
    expect(await compareWithDdrescuelog(a, b)).toBe(true);
    expect(await compareWithDdrescuelog(a, c)).toBe(false);
    writeFileSync(b, 'not a map\n');
    await expect(compareWithDdrescuelog(a, b)).rejects.toThrow(/exit 2/);
  });

  it('loads maps that GNU ddrescue wrote, line for line', async () => {
    const size = 512 * 1024;
    const src = fresh('src');
    writeFileSync(src, Buffer.alloc(size, 0x5a));
    // ddrescue's test mode reads every non-finished block of this map as a read error.
    const faults = fresh('faults.map');
    writeFileSync(faults, '0x0 + 1\n0x0 0x10000 +\n0x10000 0x800 -\n0x10800 0x20000 +\n0x30800 0x400 -\n0x30C00 0x4F400 +\n');
    const runs: Array<{ args: string[]; expect: Status[] }> = [
      { args: ['-N', '-s', '0x40000'], expect: ['+', '*', '?'] }, // no trimming, half the source: non-trimmed and non-tried
      { args: ['-n'], expect: ['+', '-', '/'] }, // trimmed but not scraped
      { args: [], expect: ['+', '-'] },
    ];
    for (const { args, expect: statuses } of runs) {
      const mapPath = fresh('gnu.map');
      const r = await run('ddrescue', ['-f', '-q', '-H', faults, ...args, src, fresh('dst'), mapPath]);
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(mapPath, 'utf8');
      const { state, map } = await loadMapfile(mapPath, size);
      for (const s of statuses) expect(map.count(s), `${s} in\n${text}`).toBeGreaterThan(0);
      const t = await ddrescuelogTotals(mapPath);
      expect(t.currentPos).toBe(state.currentPos);
      expect(t.rescued.bytes).toBe(map.bytes('+'));
      expect(t.badSector.bytes).toBe(map.bytes('-'));
      expect(blockLines(formatMapfile(map, state))).toEqual(blockLines(text));
      const ours = fresh('ours.map');
      await saveMapfile(ours, map, state);
      expect(await compareWithDdrescuelog(mapPath, ours)).toBe(true);
    }
  });

  it('GNU ddrescue resumes from our map and copies only what we left non-tried', async () => {
    const map = randomMap(21, 400, ['+', '?']);
    const size = map.size;
    const data = Buffer.alloc(size);
    const rand = rng(99);
    for (let i = 0; i < size; i++) data[i] = Math.floor(rand() * 256);
    const src = fresh('src');
    writeFileSync(src, data);
    const dst = fresh('dst');
    writeFileSync(dst, Buffer.alloc(size, 0xee));
    const mapPath = fresh('resume.map');
    await saveMapfile(mapPath, map, { currentPos: 0, currentStatus: '?', currentPass: 1 });

    const r = await run('ddrescue', ['-f', '-q', src, dst, mapPath]);
    expect(r.code, r.stderr).toBe(0);
    const out = readFileSync(dst);
    for (const a of map.areas()) {
      const want = a.status === '+' ? Buffer.alloc(a.size, 0xee) : data.subarray(a.pos, a.pos + a.size);
      expect(out.subarray(a.pos, a.pos + a.size).equals(want), `${a.status} area at ${a.pos}`).toBe(true);
    }
    const after = await loadMapfile(mapPath, size);
    expect([...after.map.areas()]).toEqual([{ pos: 0, size, status: '+' }]);
    expect((await ddrescuelogTotals(mapPath)).rescued).toEqual({ bytes: size, areas: 1 });
  });
});

if (!haveDdrescue) {
  describe('against GNU ddrescue', () => {
    it.skip(NO_DDRESCUE, () => {});
  });
}
