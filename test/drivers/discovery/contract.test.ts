// The discovery contract against the real binding (loop devices attached and detached for real,
// noticed through /dev and the uevent counter) and the emulated one.

import { access, constants, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { emulatedDiscovery, emulatedDrive } from '../../../drivers/discovery/emulated.ts';
import { linuxDiscovery } from '../../../drivers/discovery/linux.ts';
import { findProgram, runOk } from '../../../hil/kernel-tools.ts';
import { attachLoop } from '../../helpers/loop-device.ts';
import { discoveryContract } from './discovery-contract.ts';

/** Why loop devices cannot be attached here, or null. */
async function loopUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return 'loop devices need root';
  if (!(await findProgram('losetup'))) return 'losetup is not installed';
  const ok = await access('/dev/loop-control', constants.R_OK | constants.W_OK).then(() => true, () => false);
  return ok ? null : '/dev/loop-control is missing (no loop module)';
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-discovery-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
let files = 0;

discoveryContract('linux binding with loop devices', await loopUnavailable(), () => ({
  binding: linuxDiscovery(),
  async attach({ size, readOnly }) {
    const file = path.join(dir, `drive-${files++}.img`);
    await writeFile(file, '');
    await truncate(file, size);
    const loop = await attachLoop(file, { readOnly });
    return {
      name: path.basename(loop.device),
      detach: () => loop.detach(),
      async resize(bytes) {
        await truncate(file, bytes);
        await runOk('losetup', ['-c', loop.device]);
      },
    };
  },
}));

let letter = 0;
const binding = emulatedDiscovery([emulatedDrive({ name: 'vda', transport: 'virtio', mountPoints: ['/'], systemDisk: true })]);
discoveryContract('emulated binding', null, () => ({
  binding,
  async attach({ size, readOnly }) {
    const name = `sd${String.fromCharCode(98 + letter++)}`;
    binding.attach(emulatedDrive({ name, size, readOnly }));
    return {
      name,
      detach: async () => {
        if ((await binding.list()).drives.some((d) => d.name === name)) binding.detach(name);
      },
      resize: async (bytes) => binding.update(name, { size: bytes }),
    };
  },
}));
