// The SmartBinding contract against both bindings. The real one runs smartctl on what this machine
// has (no SMART-capable disk: a loop device, paths that do not exist, a PATH without smartctl, a
// user who may not open the node); the emulated one on recorded outputs of real drives.

import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../controller/logger.ts';
import { createEmulatedSmart } from '../../../drivers/smart/emulated.ts';
import { smartctlBinding } from '../../../drivers/smart/smartctl.ts';
import type { SmartReadOptions } from '../../../drivers/smart/types.ts';
import { attachLoop } from '../../helpers/loop-device.ts';
import { fixtureText } from './fixtures.ts';
import { smartContract, type SmartContractFixture } from './smart-contract.ts';

const log = silentLogger();
const root = process.getuid?.() === 0;
const smartctlHere = spawnSync('smartctl', ['--version'], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status === 0;

if (smartctlHere) {
  smartContract('real smartctl on this machine', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imagebox-smart-'));
    const emptyPath = join(dir, 'no-bin');
    // A smartctl stuck on a dying drive, played by a script that sleeps: the timeout path is ours to test.
    const hung = join(dir, 'smartctl-hung');
    await writeFile(hung, '#!/bin/sh\nexec sleep 30\n');
    await chmod(hung, 0o755);
    // A loop device is the closest thing to a disk here, and smartctl gets no SMART from it.
    const backing = join(dir, 'backing.img');
    await writeFile(backing, Buffer.alloc(1024 * 1024));
    const loop = root ? await attachLoop(backing, { readOnly: true }) : undefined;
    const node = loop?.device ?? '/dev/null';
    const envDevice = process.env.IMAGEBOX_SMART_DEVICE;
    const fixture: SmartContractFixture = {
      binding: smartctlBinding({ log }),
      gone: ['/dev/sdimagebox-gone', join(dir, 'no-such-disk')],
      unsupported: node,
      missing: smartctlBinding({ env: { PATH: emptyPath }, log }),
      denied:
        root && loop
          ? { binding: smartctlBinding({ command: ['runuser', '-u', 'nobody', '--', 'smartctl'], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, log }), device: loop.device }
          : { skip: 'needs root (runuser to nobody, and a loop device nobody may not open)' },
      hanging: { binding: smartctlBinding({ command: hung, timeoutMs: 500, log }), device: node, timeoutMs: 500 },
      drives: envDevice
        ? { cases: [{ device: envDevice, deviceType: process.env.IMAGEBOX_SMART_DEVICE_TYPE as SmartReadOptions['deviceType'], expect: {} }] }
        : { skip: 'no SMART-capable drive here: set IMAGEBOX_SMART_DEVICE=/dev/sdX (and IMAGEBOX_SMART_DEVICE_TYPE=sat behind a USB bridge)' },
      unknownBridge: { skip: 'needs a drive behind a USB bridge smartctl does not recognise (real hardware)' },
      async teardown() {
        await loop?.detach();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return fixture;
  });
} else {
  console.warn('skipping the real smartctl contract run: smartctl is not installed (Debian: apt install smartmontools)');
}

smartContract('emulated smartctl serving recorded drives', async () => ({
  binding: createEmulatedSmart({
    log,
    devices: {
      '/dev/sda': { output: fixtureText('ataHealthy') },
      '/dev/sdb': { output: fixtureText('usbFailed') },
      '/dev/sdc': { output: fixtureText('satSsd'), requiresDeviceType: 'sat', usbId: '0x152d:0x0578 (0x209)' },
      '/dev/sdf': { output: fixtureText('scsi') },
      '/dev/nvme0': { output: fixtureText('nvmeMediaErrors') },
      '/dev/loop0': { state: 'unsupported' },
    },
  }),
  gone: ['/dev/sdz', '/tmp/imagebox-no-such-disk'],
  unsupported: '/dev/loop0',
  missing: createEmulatedSmart({ installed: false, log }),
  denied: { binding: createEmulatedSmart({ devices: { '/dev/sdd': { state: 'denied' } }, privileged: false, log }), device: '/dev/sdd' },
  hanging: { binding: createEmulatedSmart({ devices: { '/dev/sde': { state: 'hang' } }, timeoutMs: 300, log }), device: '/dev/sde', timeoutMs: 300 },
  drives: {
    cases: [
      { device: '/dev/sda', expect: { model: 'WDC WD140EDFZ-11A0VA0', serial: '9RK1XXXX', level: 'healthy', kind: 'sat' } },
      { device: '/dev/sdb', expect: { model: 'Hitachi HDS721050DLE630', serial: 'MSK423Y20S3HBC', level: 'failing', kind: 'sat' } },
      { device: '/dev/sdf', expect: { level: 'healthy', kind: 'scsi' } },
      { device: '/dev/nvme0', expect: { model: 'Samsung SSD 970 EVO 500GB', level: 'failing', kind: 'nvme' } },
    ],
  },
  unknownBridge: { device: '/dev/sdc', serial: 'REDACTED' },
  teardown: async () => {},
}));
