// GNU ddrescue and imagebox take over each other's rescues, on the same failing drive seen
// through the kernel, and both end at the drive's truth.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMapfile, parseMapfile } from '../../../controller/rescue/mapfile.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseEmuUrl } from '../../../hil/emu-url.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import type { KernelDrive } from '../../../hil/kernel-drive.ts';
import { runCli } from '../../helpers/cli.ts';
import { compareWithDdrescuelog, haveDdrescue, NO_DDRESCUE, run } from '../../helpers/ddrescuelog.ts';
import { checkImageAgainst, tempDir, truthMap } from '../../helpers/rescue-run.ts';

const kernel = await kernelPathAvailable();
const skip = !kernel.ok || !haveDdrescue;
const why = !kernel.ok ? kernel.why : NO_DDRESCUE;

describe.skipIf(skip)(`GNU ddrescue <-> imagebox on one drive${skip ? ` — SKIPPED: ${why}` : ''}`, () => {
  const model = new DriveModel(parseEmuUrl('emu:zone?seed=21&size=8M'));
  let kd: KernelDrive;
  let truthPath: string;

  beforeAll(async () => {
    kd = await attachKernelDrive(model);
    truthPath = join(await tempDir(), 'truth.map');
    await writeFile(truthPath, formatMapfile(truthMap(model), { currentPos: 0, currentStatus: '+', currentPass: 1 }));
  });
  afterAll(async () => kd?.detach());

  async function finalCheck(dir: string): Promise<void> {
    const text = await readFile(join(dir, 'r.map'), 'latin1');
    const { map } = parseMapfile(text, { size: model.size });
    expect(map.equals(truthMap(model))).toBe(true);
    expect(await compareWithDdrescuelog(truthPath, join(dir, 'r.map'))).toBe(true);
    expect(await checkImageAgainst(model, join(dir, 'r.img'), map)).toBe(truthMap(model).bytes('+'));
  }

  it('imagebox resumes what GNU ddrescue started (copy pass 1 only)', async () => {
    const dir = await tempDir();
    const dd = await run('ddrescue', ['-d', '-f', '--cpass=1', '-n', kd.device, join(dir, 'r.img'), join(dir, 'r.map')]);
    expect(dd.code, dd.stderr).toBe(0);
    const before = await readFile(join(dir, 'r.map'), 'latin1');
    expect(before).toMatch(/^0x[0-9A-F]+\s+0x[0-9A-F]+\s+[?*]$/m);
    // ddrescue's reads, which scrape every sector, so the map ends at the drive's truth.
    const r = await runCli(['rescue', kd.device, join(dir, 'r.img'), join(dir, 'r.map'), '--strategy', 'ddrescue', '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    await finalCheck(dir);
  });

  it('GNU ddrescue resumes what imagebox started (stopped after the copy phase)', async () => {
    const dir = await tempDir();
    const r = await runCli(['rescue', kd.device, join(dir, 'r.img'), join(dir, 'r.map'), '--phases', 'copy', '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    const ours = await readFile(join(dir, 'r.map'), 'latin1');
    expect(ours).toMatch(/^0x[0-9A-F]+\s+0x[0-9A-F]+\s+\*$/m);
    const dd = await run('ddrescue', ['-d', '-f', kd.device, join(dir, 'r.img'), join(dir, 'r.map')]);
    expect(dd.code, dd.stderr).toBe(0);
    await finalCheck(dir);
  });
});
