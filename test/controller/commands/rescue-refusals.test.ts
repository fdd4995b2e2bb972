// Every refusal of `imagebox rescue`, through the real command: one clear line, exit code 2,
// nothing written, and the refusal in the job log. Each run also carries --max-run-time 0, so
// that even a refusal that failed to happen would stop before the first read, writing nothing.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli, TEST_STATE_DIR } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

const EMU = 'emu:scattered?seed=1&size=1M';
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

async function refused(args: string[], message: RegExp): Promise<string> {
  const r = await runCli(['rescue', ...args, '--max-run-time', '0']);
  expect(r.stderr.trim().split('\n')[0]).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(2);
  const audit = await readFile(join(TEST_STATE_DIR, 'audit.log'), 'utf8');
  const reason = r.stderr.trim().replace(/^imagebox: /, '');
  expect(audit.split('\n').some((l) => l.includes('"msg":"refused"') && l.includes(JSON.stringify(reason).slice(1, 40)))).toBe(true);
  return r.stderr;
}

describe('imagebox rescue refuses', () => {
  it('a destination that is the source file', async () => {
    const src = join(dir, 'src.img');
    await writeFile(src, Buffer.alloc(64 * 1024, 7));
    await refused([src, src, join(dir, 'm.map')], /destination .*src\.img is the source itself/);
    expect((await readFile(src)).every((b) => b === 7)).toBe(true);
  });

  it('a destination that is the source through another name (a hard link)', async () => {
    const src = join(dir, 'src.img');
    await writeFile(src, Buffer.alloc(64 * 1024, 7));
    const { link } = await import('node:fs/promises');
    await link(src, join(dir, 'other-name.img'));
    await refused([src, join(dir, 'other-name.img'), join(dir, 'm.map')], /is the source itself/);
  });

  it('the system disk as destination', async () => {
    await refused([EMU, '/dev/vda', join(dir, 'm.map')], /destination \/dev\/vda is on the system disk/);
  });

  it('an existing image with no mapfile, unless --force', async () => {
    const dest = join(dir, 'old.img');
    await writeFile(dest, 'precious');
    await refused([EMU, dest, join(dir, 'm.map')], /already holds 8 bytes and there is no mapfile.*--force/);
    expect(await readFile(dest, 'utf8')).toBe('precious');
    const forced = await runCli(['rescue', EMU, dest, join(dir, 'm.map'), '--force', '--quiet']);
    expect(forced.code).toBe(1);
    expect((await stat(dest)).size).toBe(1024 * 1024);
  });

  it('a mapfile that is the source or the destination', async () => {
    const src = join(dir, 'src.img');
    await writeFile(src, Buffer.alloc(64 * 1024, 7));
    await refused([src, join(dir, 'd.img'), src], /mapfile .* is the source/);
    await refused([EMU, join(dir, 'd.img'), join(dir, 'd.img')], /mapfile .* is the destination/);
  });

  const BAD_MAPS: [string, string, RegExp][] = [
    ['a size that differs from the source', '0x0 + 1\n0x0 0x80000 +\n', /line 2.*(covers|size|end)/i],
    ['overlapping blocks', '0x0 + 1\n0x0 0x80000 +\n0x70000 0x90000 -\n', /line 3.*overlap/i],
    ['non-contiguous blocks', '0x0 + 1\n0x0 0x80000 +\n0x90000 0x70000 -\n', /line 3.*contiguous/i],
    ['an unknown status', '0x0 + 1\n0x0 0x100000 X\n', /line 2.*status/i],
  ];
  for (const [what, text, message] of BAD_MAPS) {
    it(`a mapfile with ${what}, and leaves it as it was`, async () => {
      const map = join(dir, 'm.map');
      await writeFile(map, text);
      await refused([EMU, join(dir, 'd.img'), map], message);
      expect(await readFile(map, 'utf8')).toBe(text);
      const log = await readFile(`${map}.log`, 'utf8');
      expect(log).toMatch(/"msg":"refused"/);
    });
  }

  it('a missing source, and bad options', async () => {
    await refused([join(dir, 'nope'), join(dir, 'd.img'), join(dir, 'm.map')], /source .*nope does not exist/);
    await refused(['emu:bogus', join(dir, 'd.img'), join(dir, 'm.map')], /bogus/);
    await refused([EMU, join(dir, 'd.img'), join(dir, 'm.map'), '--retries', 'many'], /--retries/);
  });
});
