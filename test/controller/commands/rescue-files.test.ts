// Plain files as sources, including sizes that are not whole sectors: the image is byte-identical.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { ddrescuelogTotals, haveDdrescue } from '../../helpers/ddrescuelog.ts';
import { tempDir } from '../../helpers/rescue-run.ts';

describe('rescue of a plain file', () => {
  for (const size of [1000, 3 * 65536 + 4096, 2 ** 20 + 100]) {
    it(`${size} bytes: exit 0, identical image, all finished`, async () => {
      const dir = await tempDir();
      const data = randomBytes(size);
      await writeFile(join(dir, 's.bin'), data);
      const r = await runCli(['rescue', join(dir, 's.bin'), join(dir, 'i.img'), join(dir, 'i.map'), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect((await readFile(join(dir, 'i.img'))).equals(data)).toBe(true);
      const summary = JSON.parse(r.stdout);
      expect(summary.progress.rescued).toBe(size);
      if (haveDdrescue) {
        const t = await ddrescuelogTotals(join(dir, 'i.map'));
        expect(t.rescued.areas).toBe(1);
        expect(t.nonTried.bytes + t.badSector.bytes).toBe(0);
      }
    });
  }
});
