// hidden, hpa-unlock and dco-restore through the real command and the real hdparm, on a writable
// loop device: hdparm gets no ATA answer from it, so `hidden` says so (exit 0) and the two acts
// refuse (exit 1) with that note, logged, and the device's bytes are what they were.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../../../hil/kernel-tools.ts';
import { runCli, TEST_STATE_DIR } from '../../helpers/cli.ts';
import { attachLoop, type LoopDevice } from '../../helpers/loop-device.ts';
import { loopAvailable } from '../../drivers/blocker/loop.ts';

const hdparm = await findProgram('hdparm');
/** What the driver says of a device without ATA answers, or of a host without hdparm. */
const NO_ANSWER = hdparm ? /did not answer ATA IDENTIFY/ : /hdparm is not installed/;

const sha256 = async (file: string): Promise<string> => createHash('sha256').update(await readFile(file)).digest('hex');

describe('imagebox hidden: not a block device', () => {
  it('a regular file: exit 2, one line', async () => {
    const r = await runCli(['hidden', import.meta.filename]);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `imagebox: hidden: ${import.meta.filename} is not a block device (it is a regular file)\n` });
  });
});

describe.skipIf(!loopAvailable.ok)(`hidden-area commands on a writable loop device${loopAvailable.ok ? '' : ` (${loopAvailable.why})`}`, () => {
  let dir: string;
  let backing: string;
  let loop: LoopDevice;
  let before: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-hidden-'));
    backing = path.join(dir, 'disk.img');
    const content = Buffer.alloc(4 << 20);
    for (let i = 0; i < content.length; i += 512) content.writeUInt32LE(i / 512, i);
    await writeFile(backing, content);
    before = await sha256(backing);
    loop = await attachLoop(backing);
  });
  afterAll(async () => {
    await loop?.detach();
    await rm(dir, { recursive: true, force: true });
  });

  it('hidden: unavailable with the note, exit 0', async () => {
    const r = await runCli(['hidden', loop.device]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^${loop.device}: HPA/DCO unavailable: .*\\n$`));
    expect(r.stdout).toMatch(NO_ANSWER);
    const j = await runCli(['hidden', loop.device, '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: 'unavailable', device: loop.device, note: expect.stringMatching(NO_ANSWER) });
  });

  it('hpa-unlock and dco-restore refuse with exit 1 and one line; nothing reaches the device', async () => {
    for (const args of [['hpa-unlock', loop.device, '--yes'], ['hpa-unlock', loop.device], ['dco-restore', loop.device]]) {
      const r = await runCli(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      const what = args[0] === 'hpa-unlock' ? 'HPA unlock' : 'DCO restore';
      expect(r.stderr).toMatch(new RegExp(`^imagebox: ${args[0]}: ${what} unavailable: [^\\n]*\\n$`));
      expect(r.stderr).toMatch(NO_ANSWER);
    }
    const size = await readFile(`/sys/block/${path.basename(loop.device)}/size`, 'utf8');
    expect(Number(size)).toBe(8192);
    expect(await sha256(backing)).toBe(before);
  });

  it('the audit log has each command and each refusal', async () => {
    const lines = (await readFile(path.join(TEST_STATE_DIR, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const mine = lines.filter((l) => l.drive === loop.device || (Array.isArray(l.argv) && l.argv.includes(loop.device)));
    expect(mine.filter((l) => l.msg === 'command').map((l) => (l.argv as string[])[0])).toEqual(['hidden', 'hidden', 'hpa-unlock', 'hpa-unlock', 'dco-restore']);
    expect(mine.filter((l) => l.refused).map((l) => l.act)).toEqual(['hpa-unlock-volatile', 'hpa-unlock-volatile', 'dco-restore-request']);
  });
});
