// The AtaBinding contract against the real hdparm (on a read-only loop device) and the emulated
// binding; then what only the real binding can show: no hdparm on PATH, and hdparm that hangs.

import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatedAtaBinding, EmulatedAtaDrive } from '../../../drivers/ata/emulated.ts';
import { hdparmBinding } from '../../../drivers/ata/hdparm-binding.ts';
import { detectHiddenAreas } from '../../../drivers/ata/hidden-areas.ts';
import { unlockHpaVolatile } from '../../../drivers/ata/hpa-unlock.ts';
import { findProgram } from '../../../hil/kernel-tools.ts';
import { attachLoop } from '../../helpers/loop-device.ts';
import { ataBindingContract } from './ata-contract.ts';
import { auditCapture } from './helpers.ts';

const isRoot = process.getuid?.() === 0;
const hdparm = await findProgram('hdparm');
const losetup = await findProgram('losetup');
const realWhy = !hdparm ? 'hdparm is not installed' : !losetup ? 'losetup is not installed' : !isRoot ? 'loop devices need root' : undefined;

if (realWhy) {
  describe('AtaBinding contract: hdparm on a loop device', () => {
    it.skip(`skipped: ${realWhy}`, () => {});
  });
} else {
  ataBindingContract('hdparm on a read-only loop device', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ata-contract-'));
    const file = join(dir, 'backing.img');
    const content = Buffer.alloc(4 << 20);
    for (let i = 0; i < content.length; i += 4096) content.writeUInt32LE(i, i);
    await writeFile(file, content);
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const loop = await attachLoop(file, { readOnly: true });
    return {
      binding: hdparmBinding(),
      silentDevice: loop.device,
      missingDevice: '/dev/imagebox-no-such-disk',
      async teardown() {
        await loop.detach();
        expect(digest(await readFile(file))).toBe(digest(content));
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
}

ataBindingContract('emulated binding, a device that takes no ATA commands', async () => {
  const silent = new EmulatedAtaDrive({ realMaxSectors: 8192, answers: false });
  const binding = emulatedAtaBinding({ '/dev/loop7': silent });
  return {
    binding,
    silentDevice: '/dev/loop7',
    missingDevice: '/dev/imagebox-no-such-disk',
    async teardown() {
      // Nothing that changes a drive was ever sent.
      expect(binding.commands.filter((c) => c.includes('--yes-i-know-what-i-am-doing'))).toEqual([]);
      expect(silent.visibleSectors).toBe(8192);
    },
  };
});

describe('hdparm binding without a usable hdparm', () => {
  it('answers unavailable when hdparm is not on PATH, for detection and for an unlock', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'ata-nopath-'));
    try {
      const binding = hdparmBinding({ searchPath: empty });
      const note = 'hdparm is not installed (not found on PATH or in sbin): install the hdparm package';
      expect(await detectHiddenAreas(binding, '/dev/sda')).toEqual({ kind: 'unavailable', device: '/dev/sda', note });
      const audit = auditCapture();
      const confirmation = { device: '/dev/sda', visibleSectors: 1, nativeSectors: 2, operator: 'test' };
      const r = await unlockHpaVolatile(binding, '/dev/sda', confirmation, { job: { started: false }, audit: audit.log });
      expect(r).toEqual({ ok: false, outcome: 'refused', note: `HPA unlock unavailable: ${note}` });
      expect(audit.lines()[0]).toMatchObject({ refused: true, reason: `HPA unlock unavailable: ${note}` });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('gives up on an hdparm that does not answer, without waiting for it to exit', async () => {
    // A program standing in for hdparm stuck on a hung drive.
    const dir = await mkdtemp(join(tmpdir(), 'ata-hang-'));
    const program = join(dir, 'hdparm');
    await writeFile(program, '#!/bin/sh\nexec sleep 30\n');
    await chmod(program, 0o755);
    try {
      const started = performance.now();
      const r = await hdparmBinding({ program, timeoutMs: 300 }).readMax('/dev/sdz');
      expect(performance.now() - started).toBeLessThan(5000);
      expect(r).toEqual({ kind: 'unavailable', command: 'hdparm -N /dev/sdz', note: 'hdparm -N /dev/sdz did not answer within 300 ms (the drive may be hung)' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a device name hdparm would take for a flag', async () => {
    expect(await hdparmBinding().readMax('-I')).toMatchObject({ kind: 'unavailable', note: "not a device path: '-I'" });
  });
});
