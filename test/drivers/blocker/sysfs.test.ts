// Reading the kernel flag and the USB device behind a block device from a fake sysfs tree (laid
// out as the kernel does), and the flag of a real loop device from the real /sys.

import { realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKernelRo } from '../../../drivers/blocker/kernel-ro.ts';
import { blockNameOf, readRoFlags } from '../../../drivers/blocker/sysfs-ro.ts';
import { usbDeviceOfBlock, usbIdOf } from '../../../drivers/blocker/usb-sysfs.ts';
import { makeFakeSysfs, type FakeSysfs } from './fake-sysfs.ts';
import { loopAvailable, withLoop } from './loop.ts';

describe('sysfs read-only flag and USB parent, on a fake tree', () => {
  let fake: FakeSysfs;

  beforeAll(async () => {
    fake = await makeFakeSysfs([
      { name: 'sda', dev: '8:0', partitions: [{ name: 'sda1', dev: '8:1' }] },
      {
        name: 'sdb',
        dev: '8:16',
        ro: true,
        usbChain: [{ vendorId: 0x13d7, productId: 0x000c, serial: '000ECC0800778899', manufacturer: 'Tableau', product: 'T8-R2' }],
        partitions: [{ name: 'sdb1', dev: '8:17' }],
      },
      {
        name: 'sdc',
        dev: '8:32',
        usbChain: [
          { vendorId: 0x05e3, productId: 0x0610, product: 'USB2.0 Hub' },
          { vendorId: 0x152d, productId: 0x0578, serial: 'DD5641988389C' },
        ],
        partitions: [{ name: 'sdc1', dev: '8:33', ro: true }],
      },
    ]);
  });

  afterAll(() => fake.remove());

  it('reads a whole disk, and a partition with its disk', async () => {
    expect(await readRoFlags('sda', fake.root)).toEqual({ name: 'sda', ro: false });
    expect(await readRoFlags('sdb1', fake.root)).toEqual({ name: 'sdb1', ro: false, disk: { name: 'sdb', ro: true } });
    expect(await readRoFlags('sdc1', fake.root)).toEqual({ name: 'sdc1', ro: true, disk: { name: 'sdc', ro: false } });
  });

  it('gives a partition of a read-only disk the engaged state, and says how', async () => {
    const r = await readKernelRo('/dev/sdb1', { sysRoot: fake.root });
    expect(r).toMatchObject({ method: 'kernel-ro', state: 'engaged' });
    expect(r.detail).toBe('/dev/sdb1: sysfs sdb1/ro = 0, whole disk sdb/ro = 1');
    expect((await readKernelRo('/dev/sda1', { sysRoot: fake.root })).state).toBe('not-engaged');
  });

  it("reads 'unknown', not a throw, for a device it cannot read", async () => {
    const missing = await readKernelRo('/dev/sdz', { sysRoot: fake.root });
    expect(missing.state).toBe('unknown');
    expect(missing.detail).toMatch(/\/dev\/sdz: kernel read-only flag unreadable: .*not a block device/);
    await writeFile(path.join(fake.dirOf('sda'), 'ro'), 'yes\n');
    const garbled = await readKernelRo('/dev/sda', { sysRoot: fake.root });
    expect(garbled.state).toBe('unknown');
    expect(garbled.detail).toMatch(/expected 0 or 1, got "yes"/);
    await fake.setRo('sda', false);
  });

  it('finds the USB bridge a disk and its partition hang from, through a hub, and none for SATA', async () => {
    const t8 = await usbDeviceOfBlock('sdb1', fake.root);
    expect(t8).toMatchObject({ vendorId: 0x13d7, productId: 0x000c, serial: '000ECC0800778899', manufacturer: 'Tableau', port: '2-2' });
    expect(t8 && usbIdOf(t8)).toBe('13d7:000c');
    expect(t8?.sysPath).toBe(path.join(await realpath(fake.root), 'devices/pci0000:00/0000:00:14.0/usb2/2-2'));
    const behindHub = await usbDeviceOfBlock('sdc', fake.root);
    expect(behindHub).toMatchObject({ vendorId: 0x152d, productId: 0x0578, port: '2-3.3', serial: 'DD5641988389C' });
    expect(await usbDeviceOfBlock('sda1', fake.root)).toBeNull();
  });

  it('rejects a malformed idVendor instead of guessing', async () => {
    const bridgeDir = (await usbDeviceOfBlock('sdb', fake.root))?.sysPath ?? '';
    await writeFile(path.join(bridgeDir, 'idVendor'), '13d\n');
    await expect(usbDeviceOfBlock('sdb', fake.root)).rejects.toThrow(/idVendor: expected four hex digits/);
    await writeFile(path.join(bridgeDir, 'idVendor'), '13d7\n');
  });
});

describe('sysfs read-only flag of a real loop device', () => {
  it.skipIf(!loopAvailable.ok)(`names and reads it through its device number (${loopAvailable.why})`, async () => {
    await withLoop(async (dev) => {
      expect(await blockNameOf(dev)).toBe(path.basename(dev));
      expect(await readKernelRo(dev)).toMatchObject({ state: 'not-engaged', detail: `${dev}: sysfs ${path.basename(dev)}/ro = 0` });
    });
  });
});
