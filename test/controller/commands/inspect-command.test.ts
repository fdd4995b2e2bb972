// `imagebox inspect` through the real command, on a loop device attached read-only: what the
// kernel says (read-only flag, size, backing file), and what smartctl and hdparm cannot say about it.

import { access, constants, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriveFacts } from '../../../controller/preflight/drive-facts-types.ts';
import { runCli, TEST_STATE_DIR, type CliResult } from '../../helpers/cli.ts';
import { attachLoop, type LoopDevice } from '../../helpers/loop-device.ts';
import { loopAvailable } from '../../drivers/blocker/loop.ts';

/** Runs the command with these environment variables set (runCli passes this process's environment on). */
async function runWithEnv(args: string[], env: Record<string, string>): Promise<CliResult> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await runCli(args);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const holds = (dir: string, tool: string): Promise<boolean> => access(path.join(dir, tool), constants.X_OK).then(() => true, () => false);

/** This PATH without the directories holding smartctl or hdparm (sbin, here). */
async function pathWithoutTools(): Promise<string> {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  const keep: string[] = [];
  for (const d of dirs) if (!(await holds(d, 'smartctl')) && !(await holds(d, 'hdparm'))) keep.push(d);
  return keep.join(':');
}

describe('imagebox inspect: refusals', () => {
  it('a missing path: exit 2, one line', async () => {
    const r = await runCli(['inspect', '/dev/imagebox-no-such-drive']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'imagebox: inspect: /dev/imagebox-no-such-drive does not exist\n' });
  });

  it('a regular file: exit 2, one line', async () => {
    const r = await runCli(['inspect', path.join(import.meta.dirname, 'inspect-command.test.ts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^imagebox: inspect: \S+inspect-command\.test\.ts is not a block device \(it is a regular file\)\n$/);
  });

  it('usage errors: exit 2, one line', async () => {
    for (const args of [['inspect'], ['inspect', '/dev/a', '/dev/b'], ['inspect', '--all', '/dev/a']]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')).toEqual([expect.stringMatching(/^imagebox: inspect: .*\(see 'imagebox help inspect'\)$/), '']);
    }
    expect((await runCli(['help', 'inspect'])).stdout).toMatch(/^usage: imagebox inspect DEVICE \[--json\]\n/);
  });
});

describe.skipIf(!loopAvailable.ok)(`imagebox inspect on a read-only loop device${loopAvailable.ok ? '' : ` (${loopAvailable.why})`}`, () => {
  let dir: string;
  let backing: string;
  let loop: LoopDevice;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-inspect-'));
    backing = path.join(dir, 'evidence.img');
    await writeFile(backing, '');
    await truncate(backing, 6 * 1024 * 1024);
    loop = await attachLoop(backing, { readOnly: true });
  });
  afterAll(async () => {
    await loop?.detach();
    await rm(dir, { recursive: true, force: true });
  });

  it('--json: the read-only flag as the write-block, SMART and HPA/DCO unavailable with notes', async () => {
    const r = await runCli(['inspect', loop.device, '--json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const facts = JSON.parse(r.stdout) as DriveFacts;
    expect(facts.device).toBe(loop.device);
    expect(facts.drive).toMatchObject({ path: loop.device, readOnly: true, backingFile: backing, transport: 'loop' });
    expect(facts.identity).toEqual({
      capacityBytes: 6 * 1024 * 1024, logicalSectorSize: 512, physicalSectorSize: 512, transport: 'loop',
      from: { capacityBytes: 'discovery', logicalSectorSize: 'discovery', physicalSectorSize: 'discovery', transport: 'discovery' },
    });
    const name = path.basename(loop.device);
    expect(facts.writeBlock).toEqual({
      verdict: 'engaged',
      readings: [{ method: 'kernel-ro', state: 'engaged', detail: `${loop.device}: sysfs ${name}/ro = 1; BLKROGET (blockdev --getro) = 1`, at: expect.any(String) }],
    });
    expect(facts.smart).toMatchObject({ available: false, reason: 'unsupported-device', note: `${loop.device}: Unable to detect device type` });
    expect(facts.hidden).toMatchObject({ kind: 'unavailable', note: expect.stringMatching(/did not answer ATA IDENTIFY/) });
    expect(facts.destination).toEqual({ ok: false, reason: 'read-only' });
    expect(facts.notes).toEqual([
      `SMART unavailable (unsupported-device): ${loop.device}: Unable to detect device type`,
      expect.stringMatching(/^HPA\/DCO unavailable: .*did not answer ATA IDENTIFY/),
    ]);
  });

  it('the text form says the same in words', async () => {
    const r = await runCli(['inspect', loop.device]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`device         ${loop.device}`, `backing file   ${backing}`]);
    expect(lines).toContain('capacity       6291 kB (6,291,456 bytes)  (kernel)');
    expect(lines).toContain('write-block    ENGAGED by the kernel read-only flag only (software: it does not stop SG_IO pass-through)');
    expect(lines.find((l) => l.startsWith('  kernel-ro'))).toMatch(/engaged: .*ro = 1; BLKROGET \(blockdev --getro\) = 1$/);
    expect(lines).toContain(`SMART          unavailable (unsupported-device): ${loop.device}: Unable to detect device type`);
    expect(lines.find((l) => l.startsWith('HPA/DCO'))).toMatch(/^HPA\/DCO {8}unavailable \(.*did not answer ATA IDENTIFY/);
    expect(lines).toContain('destination    no: read-only');
    expect(lines).toContain('notes');
  });

  it('without smartctl and hdparm: still exit 0, each missing tool a note', async () => {
    const PATH = await pathWithoutTools();
    const r = await runWithEnv(['inspect', loop.device, '--json'], { PATH, IMAGEBOX_TOOL_PATH: PATH });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const facts = JSON.parse(r.stdout) as DriveFacts;
    expect(facts.smart).toMatchObject({ available: false, reason: 'smartctl-missing' });
    expect(facts.notes).toEqual([
      expect.stringMatching(/^SMART unavailable \(smartctl-missing\): smartctl is not installed/),
      expect.stringMatching(/^HPA\/DCO unavailable: hdparm is not installed/),
    ]);
    expect(facts.writeBlock.verdict).toBe('engaged');
  });

  it('writes the command to the audit log', async () => {
    const lines = (await readFile(path.join(TEST_STATE_DIR, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { msg: string; argv?: string[] });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'command', argv: ['inspect', loop.device, '--json'] }));
  });
});
