// A forensic image of a failing (emulated) drive: the mapfile, E01's error2, the record and the
// report agree on every unread sector; the image holds the drive's bytes where read and zeros
// elsewhere; an interrupted acquisition resumes to the same image.

import { spawnSync } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEmulatedDrive } from '../../../drivers/block/emulated.ts';
import { E01Reader } from '../../../controller/formats/e01/e01-reader.ts';
import { parseMapfile } from '../../../controller/rescue/mapfile.ts';
import { thousands } from '../../../controller/evidence/wording.ts';
import { runCli, startCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

const haveEwf = spawnSync('ewfinfo', ['-V']).status === 0 && spawnSync('ewfverify', ['-V']).status === 0;
const URL = 'emu:scattered?seed=5&size=16M';

type Range = { first: number; count: number };
const key = (r: Range[]) => r.map((x) => `${x.first}+${x.count}`).join(',');

let dir: string;
beforeAll(async () => {
  dir = await tempDir('imagebox-failing-');
});

describe.skipIf(!haveEwf)(`E01 of a failing drive${haveEwf ? '' : ' — SKIPPED: ewf-tools missing (apt-get install ewf-tools)'}`, () => {
  it('error2, the mapfile, the record and the report list the same unread sectors; the image holds what was read', async () => {
    const r = await runCli(['image', URL, join(dir, 'f.E01'), '-q', '--hash', 'md5,sha1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    const { map } = parseMapfile(await readFile(join(dir, 'f.map'), 'utf8'));
    // The record lists every unread area with its status; error2 and the report, the unread runs.
    const fromMap: Range[] = [];
    const runs: Range[] = [];
    for (const a of map.areas(0)) {
      if (a.status === '+') continue;
      fromMap.push({ first: a.pos / 512, count: a.size / 512 });
      const last = runs.at(-1);
      if (last && last.first + last.count === a.pos / 512) last.count += a.size / 512;
      else runs.push({ first: a.pos / 512, count: a.size / 512 });
    }
    expect(fromMap.length).toBeGreaterThan(3);
    // Unread: bad sectors, and (smart) the non-scraped rest of bad areas; nothing left untried.
    expect(map.bytes('-')).toBeGreaterThan(0);
    expect(map.bytes('-') + map.bytes('/') + map.bytes('*')).toBe(map.size - map.bytes('+'));

    const info = spawnSync('ewfinfo', [join(dir, 'f.E01')], { encoding: 'utf8' }).stdout;
    const fromError2 = [...info.matchAll(/at sector\(s\): (\d+) - (\d+) number: (\d+)/g)].map((m) => ({ first: Number(m[1]), count: Number(m[3]) }));
    const rec = JSON.parse(await readFile(join(dir, 'f.json'), 'utf8'));
    const fromRecord: Range[] = rec.unread.ranges.map((x: { firstSector: number; sectorCount: number }) => ({ first: x.firstSector, count: x.sectorCount }));
    expect(key(fromError2)).toBe(key(runs));
    expect(key(fromRecord)).toBe(key(fromMap));

    const report = await readFile(join(dir, 'f.txt'), 'utf8');
    const total = fromMap.reduce((n, x) => n + x.count, 0);
    expect(report).toContain(`with ${thousands(total)} unread sectors filled with zeros`);
    for (const x of fromMap) expect(report).toMatch(new RegExp(`${thousands(x.first)}\\s+${thousands(x.first + x.count - 1)}\\s+${thousands(x.count)}`));

    expect(spawnSync('ewfverify', ['-q', join(dir, 'f.E01')]).status).toBe(0);
    const { model } = openEmulatedDrive(URL);
    const reader = await E01Reader.open(join(dir, 'f.E01'));
    try {
      const got = await reader.read(0, model.size);
      const want = Buffer.alloc(model.size);
      model.content(0, want);
      for (const x of fromMap) want.fill(0, x.first * 512, (x.first + x.count) * 512);
      expect(got.equals(want)).toBe(true);
    } finally {
      await reader.close();
    }
  });
});

describe('an interrupted acquisition', () => {
  it('stops with exit 3 on SIGINT, keeps its mapfile, and resumes to the same image and hashes', async () => {
    const url = 'emu:scattered?seed=5&size=16M';
    const once = await runCli(['image', url, join(dir, 'once.zst'), '-q']);
    expect(once.code).toBe(1);

    const args = ['image', url, join(dir, 'twice.zst'), '-q'];
    // Paced to the drive's own speed (about 30 s), so the interrupt lands mid-acquisition.
    const first = startCli([...args, '--emu-speed', '10']);
    // Once the run has started (its first mapfile save): under load Node's start alone can outlast a fixed wait.
    for (let t = 0; t < 400 && !(await access(join(dir, 'twice.map')).then(() => true, () => false)); t++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1000));
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.code).toBe(3);
    expect(stopped.stdout).toMatch(/run the same command again to resume/);
    await access(join(dir, 'twice.map'));
    await expect(access(join(dir, 'twice.json'))).rejects.toThrow();

    const resumed = await runCli(args);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(1);
    const a = JSON.parse(await readFile(join(dir, 'once.json'), 'utf8'));
    const b = JSON.parse(await readFile(join(dir, 'twice.json'), 'utf8'));
    expect(b.hashes).toEqual(a.hashes);
    expect(b.unread.ranges).toEqual(a.unread.ranges);
    await expect(access(join(dir, 'twice.work'))).rejects.toThrow();

    const again = await runCli(args);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);
  });
});

describe('an acquisition stopped while its probes run', () => {
  // The resume marks the streamed part to be read again before the rescue starts: the probe record,
  // which names the map as saved, must be read first, or it matches no map and is thrown away.
  it('resumes with what its probes found, to an unbroken run\'s bytes', async () => {
    const url = 'emu:dead-head?seed=11&size=8M';
    const once = await runCli(['image', url, join(dir, 'dh-once.raw'), '-q']);
    expect(once.code).toBe(1);
    const rescued = async (name: string) => parseMapfile(await readFile(join(dir, name), 'utf8'), { size: 8 << 20 }).map.bytes('+');
    const reference = await runCli(['rescue', url, join(dir, 'dh-ref.img'), join(dir, 'dh-ref.map'), '--json']);
    const driveMs = (JSON.parse(reference.stdout) as { progress: { runTimeMs: number } }).progress.runTimeMs;
    const args = ['image', url, join(dir, 'dh.raw'), '-q'];
    // About 20 s of wall time, so that a periodic save (every 5 s) falls while the probes run.
    const first = startCli([...args, '--emu-speed', String(Math.ceil(driveMs / 20_000))]);
    const probes = join(dir, 'dh.map.probes');
    for (let t = 0; t < 600 && !(await access(probes).then(() => true, () => false)); t++) await new Promise((r) => setTimeout(r, 50));
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(3);
    await access(probes);
    const resumed = await runCli(args);
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(await readFile(join(dir, 'dh.log'), 'utf8')).not.toMatch(/no probe record was made with this mapfile/);
    expect(await rescued('dh.map')).toBeGreaterThanOrEqual(await rescued('dh-once.map'));
  });
});
