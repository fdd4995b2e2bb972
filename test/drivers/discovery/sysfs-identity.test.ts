// Identity from sysfs, read from a fake tree shaped like each bus's real one, and the listing
// carrying on from sysfs alone when drivelist fails.

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canBeDestination } from '../../../drivers/discovery/destination.ts';
import { listDrives } from '../../../drivers/discovery/list-drives.ts';
import { parseVpdSerial, readSysfsFacts, skipReason, transportOf } from '../../../drivers/discovery/sysfs-identity.ts';
import { addDisk, fakeSysfs, writeAt } from '../../helpers/fake-sysfs.ts';

/** A VPD page 0x80 as SPC-4 lays it out: qualifier/type, page code, length, then the serial. */
function vpd80(serial: string): Buffer {
  const text = Buffer.from(serial, 'latin1');
  const page = Buffer.alloc(4 + text.length);
  page[1] = 0x80;
  page.writeUInt16BE(text.length, 2);
  text.copy(page, 4);
  return page;
}

const SATA = 'devices/pci0000:00/0000:00:17.0/ata3/host2/target2:0:0/2:0:0:0';
const USB_DEV = 'devices/pci0000:00/0000:00:14.0/usb2/2-1';
const USB = `${USB_DEV}/2-1:1.0/host6/target6:0:0/6:0:0:0`;
const NVME = 'devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0';

let root: string;
beforeAll(async () => {
  root = await fakeSysfs();
  await addDisk(root, {
    name: 'sda', devpath: `${SATA}/block/sda`, device: SATA,
    attrs: { dev: '8:0\n', size: '1953525168\n', removable: '0\n', 'device/vendor': 'ATA     \n', 'device/model': 'WDC WD10EZEX-08W\n', 'device/vpd_pg80': vpd80('     WD-WCC6Y0000001'), 'device/wwid': 'naa.50014ee2b5c2a0f1\n' },
  });
  await addDisk(root, {
    name: 'sdb', devpath: `${USB}/block/sdb`, device: USB,
    attrs: { dev: '8:16\n', size: '0\n', removable: '1\n', 'device/vendor': 'Generic-\n', 'device/model': 'SD/MMC          \n' },
  });
  await writeAt(root, `${USB_DEV}/idVendor`, '0bda\n');
  await writeAt(root, `${USB_DEV}/idProduct`, '0158\n');
  await writeAt(root, `${USB_DEV}/serial`, '20120501030900000\n');
  await addDisk(root, {
    name: 'nvme0n1', devpath: `${NVME}/nvme0n1`, device: NVME,
    attrs: { dev: '259:0\n', size: '1953525168\n', removable: '0\n', wwid: 'eui.0025385b71b12345\n', 'device/model': 'Samsung SSD 970 EVO Plus 1TB            \n', 'device/serial': 'S4EWNX0R000001      \n' },
  });
  await addDisk(root, { name: 'vda', devpath: 'devices/pci0000:00/0000:00:02.0/virtio1/block/vda', device: 'devices/pci0000:00/0000:00:02.0/virtio1', attrs: { dev: '254:0\n', size: '536870912\n', serial: 'overlayblk\n', 'device/vendor': '0x1af4\n' } });
  await addDisk(root, { name: 'loop3', devpath: 'devices/virtual/block/loop3', attrs: { dev: '7:3\n', size: '16384\n', removable: '0\n', 'loop/backing_file': '/srv/hil/dead-head.img\n' } });
  await addDisk(root, { name: 'loop4', devpath: 'devices/virtual/block/loop4', attrs: { dev: '7:4\n', size: '0\n', removable: '0\n' } });
  await addDisk(root, { name: 'zram0', devpath: 'devices/virtual/block/zram0', attrs: { dev: '253:0\n', size: '16777216\n' } });
  await addDisk(root, { name: 'dm-0', devpath: 'devices/virtual/block/dm-0', attrs: { dev: '252:0\n', size: '409600\n', 'slaves/sda2': '' } });
  await addDisk(root, { name: 'nbd0', devpath: 'devices/virtual/block/nbd0', attrs: { dev: '43:0\n', size: '0\n', removable: '0\n' } });
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('readSysfsFacts on a fake sysfs tree', () => {
  it('reads a SATA disk: INQUIRY strings trimmed, the serial from VPD page 0x80, the WWID', async () => {
    expect(await readSysfsFacts(root, 'sda')).toMatchObject({
      dev: '8:0', size: 1953525168 * 512, removable: false, transport: 'ata', vendor: 'ATA', model: 'WDC WD10EZEX-08W',
      serial: 'WD-WCC6Y0000001', wwid: 'naa.50014ee2b5c2a0f1', backingFile: null, stacked: false,
    });
  });

  it('takes a USB bridge serial from the USB device above the disk', async () => {
    expect(await readSysfsFacts(root, 'sdb')).toMatchObject({ transport: 'usb', removable: true, size: 0, vendor: 'Generic-', model: 'SD/MMC', serial: '20120501030900000' });
  });

  it('reads NVMe model and serial from the controller, the WWID from the namespace', async () => {
    expect(await readSysfsFacts(root, 'nvme0n1')).toMatchObject({ transport: 'nvme', model: 'Samsung SSD 970 EVO Plus 1TB', serial: 'S4EWNX0R000001', wwid: 'eui.0025385b71b12345' });
  });

  it('reads a virtio serial from the disk and a loop backing file', async () => {
    expect(await readSysfsFacts(root, 'vda')).toMatchObject({ transport: 'virtio', serial: 'overlayblk', vendor: '0x1af4', model: null });
    expect(await readSysfsFacts(root, 'loop3')).toMatchObject({ transport: 'loop', backingFile: '/srv/hil/dead-head.img', size: 8 * 1024 * 1024 });
  });

  it('skips RAM disks, unused loops, stacked and empty fixed devices, but keeps an empty card reader', async () => {
    const reasons: Record<string, string | null> = {};
    for (const name of ['sda', 'sdb', 'nvme0n1', 'vda', 'loop3', 'loop4', 'zram0', 'dm-0', 'nbd0']) reasons[name] = skipReason(await readSysfsFacts(root, name));
    expect(reasons).toEqual({
      sda: null, sdb: null, nvme0n1: null, vda: null, loop3: null,
      loop4: 'an unused loop device', zram0: 'a RAM disk', 'dm-0': 'stacked on other block devices (device-mapper, md)', nbd0: 'an empty fixed device',
    });
  });
});

describe('transportOf and parseVpdSerial', () => {
  it('names the outermost bus of a device path', () => {
    expect(transportOf('/sys/devices/pci0000:00/0000:00:1f.0/0000:02:00.0/host0/port-0:0/end_device-0:0/target0:0:0/0:0:0:0/block/sda')).toBe('sas');
    expect(transportOf('/sys/devices/platform/host5/session1/target5:0:0/5:0:0:1/block/sdc')).toBe('iscsi');
    expect(transportOf('/sys/devices/pci0000:00/0000:00:10.0/host0/target0:0:0/0:0:0:0/block/sda')).toBe('scsi');
    expect(transportOf('/sys/devices/platform/soc/mmc_host/mmc0/mmc0:0001/block/mmcblk0')).toBe('mmc');
    expect(transportOf('/sys/devices/virtual/block/md0')).toBe('virtual');
    expect(transportOf('/sys/devices/platform/floppy.0/block/fd0')).toBeNull();
  });

  it('returns null for a page that is not 0x80, too short, or blank', () => {
    const page = vpd80('ABC');
    expect(parseVpdSerial(page)).toBe('ABC');
    page[1] = 0x83;
    expect(parseVpdSerial(page)).toBeNull();
    expect(parseVpdSerial(Buffer.from([0, 0x80]))).toBeNull();
    expect(parseVpdSerial(vpd80('    '))).toBeNull();
  });
});

describe('listDrives when lsblk fails', () => {
  it('lists from sysfs with a note, and offers no drive it could not fully describe as a destination', async () => {
    const devDir = await mkdtemp(path.join(os.tmpdir(), 'imagebox-dev-'));
    try {
      const listing = await listDrives({ sysRoot: root, devDir, drivelist: () => Promise.reject(new Error('spawn lsblk ENOENT')) });
      expect(listing.notes).toEqual(['drivelist (lsblk) failed: spawn lsblk ENOENT; listed from sysfs only, without lsblk\'s descriptions']);
      expect(listing.drives.map((d) => d.name)).toEqual(['loop3', 'nvme0n1', 'sda', 'sdb', 'vda']);
      const sda = listing.drives.find((d) => d.name === 'sda')!;
      expect(sda).toMatchObject({ path: path.join(devDir, 'sda'), size: 1953525168 * 512, serial: 'WD-WCC6Y0000001', problem: `${path.join(devDir, 'sda')} is not a block device here (missing)` });
      expect(canBeDestination(sda)).toMatchObject({ ok: false, reason: expect.stringContaining('not fully known') });
    } finally {
      await rm(devDir, { recursive: true, force: true });
    }
  });
});
