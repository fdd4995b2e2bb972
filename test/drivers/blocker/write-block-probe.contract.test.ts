// The WriteBlockProbe contract against the host binding on a real read-write loop device (the
// kernel flag set through BLKROSET, watched through sysfs), the host binding over a fake sysfs
// tree with USB bridges, and the emulated binding.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'vitest';
import { runOk } from '../../../hil/kernel-tools.ts';
import { EmulatedBlockers, type EmulatedBridge } from '../../../drivers/blocker/emulated-probe.ts';
import { linuxWriteBlockProbe } from '../../../drivers/blocker/linux-probe.ts';
import { parseTableauParm, type TableauQuery, type TableauReport } from '../../../drivers/blocker/tableau-parm.ts';
import type { UsbDeviceInfo } from '../../../drivers/blocker/usb-sysfs.ts';
import { makeFakeSysfs, type FakeDisk } from './fake-sysfs.ts';
import { attachPartitionedLoop, loopAvailable } from './loop.ts';
import { captureAudit, writeBlockProbeContract, type BridgedCase } from './write-block-probe-contract.ts';

const fixture = async (name: string): Promise<TableauReport> =>
  parseTableauParm(await readFile(path.join(import.meta.dirname, '../../fixtures/blocker', name), 'utf8'));
const BLOCKED = await fixture('tableau-parm-t35es-blocked-hpa.txt');
const WRITABLE = await fixture('tableau-parm-t5-writable-dco.txt');
const NO_TOOL: TableauQuery = { ok: false, unavailable: true, note: 'tableau-parm not installed (Debian package tableau-parm)' };

/** The same bridges for both bindings: what is in front of each disk, what tableau-parm says, what the reading must be. */
const BRIDGES: readonly { name: string; usb: Omit<UsbDeviceInfo, 'sysPath' | 'port'>; tableau?: TableauReport; expect: Omit<BridgedCase, 'dev'> }[] = [
  { name: 'sdb', usb: { vendorId: 0x13d7, productId: 0x000c, serial: '000ECC0800778899' }, expect: { state: 'engaged', detail: /Tableau T8-R2 .*write-blocking by design/ } },
  { name: 'sdc', usb: { vendorId: 0x13d7, productId: 0x0001 }, tableau: BLOCKED, expect: { state: 'engaged', detail: /T5 PATA .*writes_permitted FALSE/ } },
  { name: 'sdd', usb: { vendorId: 0x13d7, productId: 0x0001 }, expect: { state: 'unknown', detail: /tableau-parm not installed/ } },
  { name: 'sde', usb: { vendorId: 0x13d7, productId: 0x7777 }, tableau: WRITABLE, expect: { state: 'not-engaged', detail: /writes_permitted TRUE/ } },
  { name: 'sdf', usb: { vendorId: 0x152d, productId: 0x0578 }, expect: { state: 'unknown', detail: /152d:0578 .*not a known write-blocker/ } },
];

const bridgedCases = (prefix: string): BridgedCase[] => BRIDGES.map((b) => ({ dev: `${prefix}${b.name}`, ...b.expect }));

if (loopAvailable.ok) {
  writeBlockProbeContract('linux binding, read-write loop device', { canSet: true, bridges: 'a loop device is behind no USB bridge' }, async () => {
    const { loop, cleanup } = await attachPartitionedLoop();
    const audit = captureAudit();
    return {
      probe: linuxWriteBlockProbe({ audit: audit.log }),
      audit,
      disk: loop.device,
      partition: loop.partitions[0],
      missing: '/dev/imagebox-no-such-disk',
      flipExternally: async (dev, ro) => void (await runOk('blockdev', [ro ? '--setro' : '--setrw', dev])),
      bridged: [],
      teardown: cleanup,
    };
  });
} else {
  describe('WriteBlockProbe contract: linux binding, read-write loop device', () => {
    it.skip(loopAvailable.why, () => {});
  });
}

writeBlockProbeContract(
  'linux binding over a fake sysfs tree with USB bridges',
  { canSet: 'a fake sysfs tree has no device for blockdev --setro to act on', bridges: true },
  async () => {
    const disks: FakeDisk[] = [
      { name: 'sda', dev: '8:0', partitions: [{ name: 'sda1', dev: '8:1' }] },
      ...BRIDGES.map((b, i) => ({ name: b.name, dev: `8:${16 * (i + 1)}`, usbChain: [b.usb] })),
    ];
    const fake = await makeFakeSysfs(disks);
    const answers = new Map(BRIDGES.map((b) => [`/dev/${b.name}`, b.tableau ? ({ ok: true, report: b.tableau } as const) : NO_TOOL]));
    const audit = captureAudit();
    return {
      probe: linuxWriteBlockProbe({
        sysRoot: fake.root,
        audit: audit.log,
        blockdevConfirm: false,
        usbHotplug: false,
        queryTableau: async (dev) => answers.get(dev) ?? NO_TOOL,
      }),
      audit,
      disk: '/dev/sda',
      partition: '/dev/sda1',
      missing: '/dev/sdz',
      flipExternally: (dev, ro) => fake.setRo(path.basename(dev), ro),
      bridged: bridgedCases('/dev/'),
      teardown: () => fake.remove(),
    };
  },
);

writeBlockProbeContract('emulated binding', { canSet: true, bridges: true }, async () => {
  const bus = new EmulatedBlockers().addDisk('/dev/emu0').addPartition('/dev/emu0p1', '/dev/emu0');
  for (const [i, b] of BRIDGES.entries()) {
    const bridge: EmulatedBridge = { usb: { ...b.usb, sysPath: `/emulated/usb/2-${i + 1}`, port: `2-${i + 1}` }, tableau: b.tableau ?? 'unavailable' };
    bus.addDisk(`/dev/emu-${b.name}`, { bridge });
  }
  const audit = captureAudit();
  return {
    probe: bus.probe({ audit: audit.log }),
    audit,
    disk: '/dev/emu0',
    partition: '/dev/emu0p1',
    missing: '/dev/emu9',
    flipExternally: async (dev, ro) => bus.setRoExternally(dev, ro),
    bridged: bridgedCases('/dev/emu-'),
    teardown: async () => {},
  };
});
