// Interrupt a rescue any way an operator or a power cut can and run the same command again: with
// GNU ddrescue's reads the result is the image and mapfile of an uninterrupted run; with smart (the
// default), every byte claimed is the drive's and nothing is left untried.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseMapfile } from '../../../controller/rescue/mapfile.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { runCli, startCli } from '../../helpers/cli.ts';
import { checkImageAgainst, tempDir } from '../../helpers/rescue-run.ts';

const SOURCE = 'emu:dead-head?seed=11&size=8M';
// GNU ddrescue's reads resume read for read; smart's resume ends with at least an unbroken run's bytes.
const DDRESCUE = ['--strategy', 'ddrescue'];

async function blocksOf(mapPath: string): Promise<string> {
  const text = await readFile(mapPath, 'utf8');
  return text.split('\n').filter((l) => /^0x[0-9A-F]+\s+0x/i.test(l)).join('\n');
}

/** An unbroken run (GNU ddrescue's reads unless `strategy` says otherwise). */
async function reference(strategy = DDRESCUE): Promise<{ image: Buffer; map: string; mapText: string; driveMs: number }> {
  const dir = await tempDir();
  const r = await runCli(['rescue', SOURCE, ...strategy, join(dir, 'i.img'), join(dir, 'i.map'), '--json']);
  expect(r.code).toBe(1);
  const summary = JSON.parse(r.stdout) as { progress: { runTimeMs: number } };
  return {
    image: await readFile(join(dir, 'i.img')),
    map: await blocksOf(join(dir, 'i.map')),
    mapText: await readFile(join(dir, 'i.map'), 'utf8'),
    driveMs: summary.progress.runTimeMs,
  };
}

/** Five runs, each killed (its whole process group) at a random point; every saved mapfile is whole. */
async function killRepeatedly(args: string[], speed: string, mapPath: string): Promise<void> {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const kills: string[] = [];
  for (let i = 0; i < 5; i++) {
    const { child, done } = startCli([...args, '--emu-speed', speed], { detached: true });
    const at = 300 + Math.floor(random() * 2000);
    await sleep(at);
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    const r = await done;
    kills.push(`${at}ms:${r.signal ?? r.code}`);
    const text = await readFile(mapPath, 'utf8').catch(() => undefined);
    if (text !== undefined) expect(() => parseMapfile(text, { size: 8 * 2 ** 20 })).not.toThrow();
  }
  expect(kills.some((k) => k.includes('SIGKILL')), kills.join(' ')).toBe(true);
}

describe('resume', () => {
  it('smart (the default), killed at random points and resumed: every byte it claims is the drive\'s, nothing is left untried', async () => {
    const ref = await reference();
    // Paced by smart's own drive-time, far shorter than ddrescue's: kills land before it finishes.
    const own = await reference([]);
    const dir = await tempDir();
    const args = ['rescue', SOURCE, join(dir, 'i.img'), join(dir, 'i.map'), '--save-interval', '0.2', '--quiet'];
    await killRepeatedly(args, String(Math.ceil(own.driveMs / 2500)), join(dir, 'i.map'));
    const last = await runCli(args);
    expect(last.code, last.stderr).toBe(1);
    const { map } = parseMapfile(await readFile(join(dir, 'i.map'), 'utf8'), { size: 8 * 2 ** 20 });
    expect(map.bytes('?')).toBe(0);
    expect(await checkImageAgainst(new DriveModel(parseEmuUrl(SOURCE)), join(dir, 'i.img'), map)).toBe(map.bytes('+'));
    // What the probes found is kept beside the mapfile (MAPFILE.probes), copied at the same instant
    // as the map and saved just before it, so the resumed runs end where an unbroken one does.
    // When the record was formatted apart from the map, it could lag a few reads behind, and about
    // one run in four under load ended 1.5 kB short of GNU ddrescue's 6.28 MB.
    await stat(join(dir, 'i.map.probes'));
    const refRescued = parseMapfile(ref.mapText, { size: 8 * 2 ** 20 }).map.bytes('+');
    expect(map.bytes('+')).toBeGreaterThanOrEqual(refRescued);
  });


  it('SIGKILL of the whole process group at random points, then resume: same image, same mapfile', async () => {
    const ref = await reference();
    const dir = await tempDir();
    const args = ['rescue', SOURCE, ...DDRESCUE, join(dir, 'i.img'), join(dir, 'i.map'), '--save-interval', '0.2', '--quiet'];
    // Paced so that a whole run takes about 2.5 s of wall time: kills land in every phase.
    const speed = String(Math.ceil(ref.driveMs / 2500));
    await killRepeatedly(args, speed, join(dir, 'i.map'));
    const last = await runCli(args);
    expect(last.code, last.stderr).toBe(1);
    expect(await blocksOf(join(dir, 'i.map'))).toBe(ref.map);
    expect((await readFile(join(dir, 'i.img'))).equals(ref.image)).toBe(true);
  });

  it('SIGINT saves and exits 3; --max-run-time stops and exits 3; both resume to the same result', async () => {
    const ref = await reference();
    const dir = await tempDir();
    const args = ['rescue', SOURCE, ...DDRESCUE, join(dir, 'i.img'), join(dir, 'i.map'), '--quiet'];
    const { child, done } = startCli([...args, '--emu-speed', String(Math.ceil(ref.driveMs / 3000))]);
    // Interrupt a run that has started (its first mapfile save is there): under load, Node's
    // start alone can take longer than a fixed wait, and a SIGINT before the handler kills it.
    for (let t = 0; t < 200 && !(await stat(join(dir, 'i.map')).then(() => true, () => false)); t++) await sleep(50);
    await sleep(300);
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(3);
    const saved = await readFile(join(dir, 'i.map'), 'utf8');
    expect(saved).toMatch(/^0x[0-9A-F]+\s+[?*\/-]\s+\d+$/m);
    const limited = await runCli([...args, '--max-run-time', String(Math.ceil(ref.driveMs / 1000 / 4))]);
    expect(limited.code).toBe(3);
    const finished = await runCli(args);
    expect(finished.code).toBe(1);
    expect(await blocksOf(join(dir, 'i.map'))).toBe(ref.map);
    expect((await readFile(join(dir, 'i.img'))).equals(ref.image)).toBe(true);
    // A finished map is byte-identical apart from the comments that carry times and the command line.
    const strip = (t: string) => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(strip(await readFile(join(dir, 'i.map'), 'utf8'))).toBe(strip(ref.mapText));
  });
});
