// `imagebox drives` through the real command: this machine's disks with the system disk marked,
// a loop device attached for the test, --json for scripts, and a failing lsblk.

import { spawn } from 'node:child_process';
import { access, chmod, constants, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram, runOk } from '../../../hil/kernel-tools.ts';
import { CLI, runCli, TEST_STATE_DIR, type CliResult } from '../../helpers/cli.ts';
import { attachLoop, type LoopDevice } from '../../helpers/loop-device.ts';

interface JsonDrive {
  path: string;
  size: number;
  readOnly: boolean;
  systemDisk: boolean;
  backingFile: string | null;
  destination: { ok: boolean; reason?: string };
}

/** The whole disk holding /, or null when / is not on a block device (a container's overlay). */
async function rootDisk(): Promise<string | null> {
  const source = (await runOk('findmnt', ['-n', '-o', 'SOURCE', '/'])).trim();
  if (!source.startsWith('/dev/')) return null;
  const parent = (await runOk('lsblk', ['-ndo', 'PKNAME', source])).trim();
  return parent ? `/dev/${parent}` : source;
}

const systemDisk = await rootDisk();
const loopsWhy =
  process.getuid?.() !== 0 ? 'loop devices need root'
  : !(await findProgram('losetup')) ? 'losetup is not installed'
  : !(await access('/dev/loop-control', constants.W_OK).then(() => true, () => false)) ? 'no /dev/loop-control'
  : null;

/** The table's row for a device, and the indented lines under it. */
function entryOf(table: string, device: string): string[] {
  const lines = table.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`${device} `));
  if (at < 0) return [];
  const end = lines.findIndex((l, i) => i > at && !l.startsWith('  '));
  return lines.slice(at, end < 0 ? undefined : end);
}

describe.skipIf(systemDisk === null)(`imagebox drives on this machine${systemDisk ? '' : ' (skipped: / is not on a block device here)'}`, () => {
  it('lists the disk holding / as SYSTEM and not a destination', async () => {
    const r = await runCli(['drives']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')[0]).toMatch(/^DEVICE +SIZE +MODEL +SERIAL +BUS +SECTORS +RO +MOUNTED$/);
    const [row, ...details] = entryOf(r.stdout, systemDisk!);
    expect(row).toMatch(/ \/ .*SYSTEM$/);
    expect(details).toContain('  not a destination: system disk (holds /)');
  });

  it('writes the command to the audit log', async () => {
    await runCli(['drives', '--json']);
    const lines = (await readFile(path.join(TEST_STATE_DIR, 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { msg: string; argv?: string[] });
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'command', argv: ['drives', '--json'] }));
  });

  it('refuses an unknown argument with exit code 2', async () => {
    const r = await runCli(['drives', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^imagebox: drives: unknown argument '--all'\nusage: imagebox drives \[--json\]/);
  });

  it('carries on from sysfs with a note when lsblk fails', async () => {
    const bin = await mkdtemp(path.join(os.tmpdir(), 'imagebox-nolsblk-'));
    try {
      await writeFile(path.join(bin, 'lsblk'), '#!/bin/sh\necho "lsblk: failed to access sysfs directory" >&2\nexit 32\n');
      await chmod(path.join(bin, 'lsblk'), 0o755);
      const r = await runWithPath(['drives'], `${bin}:${process.env.PATH}`);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^imagebox: note: drivelist \(lsblk\) failed: Command failed: lsblk .*; listed from sysfs only/);
      expect(entryOf(r.stdout, systemDisk!)[0]).toMatch(/SYSTEM$/);
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });
});

describe.skipIf(loopsWhy !== null)(`imagebox drives with a loop device attached${loopsWhy ? ` (skipped: ${loopsWhy})` : ''}`, () => {
  let dir: string;
  let loop: LoopDevice;
  let backing: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-drives-'));
    backing = path.join(dir, 'evidence.img');
    await writeFile(backing, '');
    await truncate(backing, 12 * 1024 * 1024);
    loop = await attachLoop(backing, { readOnly: true });
  });
  afterAll(async () => {
    await loop?.detach();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows it with its size, read-only flag and backing file', async () => {
    const r = await runCli(['drives']);
    expect(r.code).toBe(0);
    const [row, ...details] = entryOf(r.stdout, loop.device);
    expect(row).toMatch(new RegExp(`^${loop.device} +12\\.6 MB +- +- +loop +512/512 +ro +-$`));
    expect(details).toEqual([`  backing file: ${backing}`, '  not a destination: read-only']);
  });

  it('--json parses, with sizes in bytes and the destination verdicts', async () => {
    const r = await runCli(['drives', '--json']);
    expect(r.code).toBe(0);
    const { drives, notes } = JSON.parse(r.stdout) as { drives: JsonDrive[]; notes: string[] };
    expect(notes).toEqual([]);
    expect(drives.find((d) => d.path === loop.device)).toMatchObject({
      size: 12 * 1024 * 1024, readOnly: true, systemDisk: false, backingFile: backing, destination: { ok: false, reason: 'read-only' },
    });
    if (systemDisk) expect(drives.find((d) => d.path === systemDisk)).toMatchObject({ systemDisk: true, destination: { ok: false } });
    expect(drives.every((d) => !/^\/dev\/(zram|ram)\d/.test(d.path))).toBe(true);
  });
});

function runWithPath(args: string[], PATH: string): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH, IMAGEBOX_STATE_DIR: TEST_STATE_DIR } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}
