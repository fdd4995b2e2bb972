// The BlockSource contract, run against every binding: the Linux binding on a file, on read-only
// loop devices (512 and 4096-byte sectors), on an emulated failing drive shown to the kernel
// (real EIO and a real hang), and the in-process emulated binding.

import { rm } from 'node:fs/promises';
import { openEmulatedSource } from '../../../drivers/block/emulated.ts';
import { openSource } from '../../../drivers/block/linux.ts';
import { attachKernelDrive, kernelPathAvailable } from '../../../hil/kernel-drive.ts';
import { attachLoop, loopDirectIo } from '../../helpers/loop-device.ts';
import { directTempDir, HangingDrive, makeContentFile, modelBytes, quietBlock, scatteredDrive } from './fixtures.ts';
import { blockSourceContract } from './source-contract.ts';
import { expect } from 'vitest';

const MiB = 1024 * 1024;

blockSourceContract('linux binding, regular file', async () => {
  const dir = await directTempDir();
  const cf = await makeContentFile(dir, 'source.img', 2 * MiB);
  const source = await openSource(cf.file);
  return {
    source,
    expected: (pos, len) => cf.content.subarray(pos, pos + len),
    bad: [],
    expectDirect: true,
    expectSectorSize: 512,
    fdTarget: cf.file,
    async teardown() {
      await cf.expectUntouched();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

for (const sectorSize of [512, 4096]) {
  blockSourceContract(`linux binding, read-only direct-io loop device, ${sectorSize}-byte sectors`, async () => {
    const dir = await directTempDir();
    const cf = await makeContentFile(dir, 'backing.img', 2 * MiB);
    const loop = await attachLoop(cf.file, { readOnly: true, directIo: true, sectorSize });
    try {
      expect(await loopDirectIo(loop.device)).toBe(true);
      const source = await openSource(loop.device);
      return {
        source,
        expected: (pos, len) => cf.content.subarray(pos, pos + len),
        bad: [],
        expectDirect: true,
        expectSectorSize: sectorSize,
        fdTarget: loop.device,
        async teardown() {
          await loop.detach();
          await cf.expectUntouched();
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      await loop.detach();
      throw e;
    }
  });
}

const kernel = await kernelPathAvailable();
if (kernel.ok) {
  blockSourceContract('linux binding, emulated failing drive through NBD, FUSE and a loop device', async () => {
    const model = scatteredDrive();
    const hang = quietBlock(model, model.sectorSize);
    const drive = await attachKernelDrive(new HangingDrive(model, hang, 2500));
    try {
      const source = await openSource(drive.device);
      return {
        source,
        expected: (pos, len) => modelBytes(model, pos, len),
        bad: model.damage.bad,
        hang: { ...hang, timeoutMs: 400 },
        expectDirect: true,
        expectSectorSize: 512,
        fdTarget: drive.device,
        teardown: () => drive.detach(),
      };
    } catch (e) {
      await drive.detach();
      throw e;
    }
  });
} else {
  console.warn(`skipping the kernel-path contract run: ${kernel.why}`);
}

blockSourceContract('emulated binding over a drive model', async () => {
  const model = scatteredDrive(4096);
  const hang = quietBlock(model, model.sectorSize);
  const source = openEmulatedSource(new HangingDrive(model, hang, 2500), { realTime: true });
  return {
    source,
    expected: (pos, len) => modelBytes(model, pos, len),
    bad: model.damage.bad,
    hang: { ...hang, timeoutMs: 300 },
    expectDirect: true,
    expectSectorSize: 4096,
    teardown: async () => {},
  };
});
