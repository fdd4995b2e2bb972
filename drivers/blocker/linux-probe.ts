// The real write-block probe: the kernel flag from sysfs and BLKROGET, the USB bridge from sysfs
// (and tableau-parm for bridges that answer Tableau's query), USB hotplug from the `usb` package.

import type { Logger } from '../../controller/logger.ts';
import { auditLog } from '../../controller/audit-log.ts';
import { clearKernelRo, confirmKernelRo, readKernelRo, setKernelRo, type ClearRoRequest } from './kernel-ro.ts';
import type { WriteBlockProbe } from './probe.ts';
import { blockNameOf, SYS_ROOT } from './sysfs-ro.ts';
import { queryTableau, type TableauQuery } from './tableau-parm.ts';
import type { WriteBlockReading } from './types.ts';
import { bridgeReading, speaksTableauQuery, watchUsbHotplug } from './usb-bridges.ts';
import { usbDeviceOfBlock, type UsbDeviceInfo } from './usb-sysfs.ts';
import { pollWriteBlock, type WatchOptions, type WriteBlockChange } from './watch.ts';

export interface LinuxProbeOptions {
  /** Defaults to /sys; a fake tree in tests. */
  readonly sysRoot?: string;
  /** Defaults to the machine-wide audit log. */
  readonly audit?: Logger;
  readonly log?: Logger;
  /** Confirm the sysfs flag with `blockdev --getro` in read() (default true; a fake sysfs tree has no device to ask). */
  readonly blockdevConfirm?: boolean;
  /** How to ask a Tableau bridge; defaults to running tableau-parm. */
  readonly queryTableau?: (dev: string) => Promise<TableauQuery>;
  /** Re-poll at once on USB connect/disconnect (default true). */
  readonly usbHotplug?: boolean;
}

export function linuxWriteBlockProbe(opts: LinuxProbeOptions = {}): WriteBlockProbe {
  const sysRoot = opts.sysRoot ?? SYS_ROOT;
  const audit = () => opts.audit ?? auditLog();
  const log = opts.log?.child({ component: 'write-block' });
  const ask = opts.queryTableau ?? queryTableau;

  async function usbOf(dev: string): Promise<UsbDeviceInfo | null> {
    try {
      return await usbDeviceOfBlock(await blockNameOf(dev, sysRoot), sysRoot);
    } catch {
      return null; // the kernel reading already says why the device cannot be read
    }
  }

  // A bridge's answer is kept while the same USB device stays attached, so the watcher need not
  // send a SCSI command to it every poll; a replug (new sysPath or serial) asks again.
  const answers = new Map<string, TableauQuery>();

  async function bridgeOf(dev: string, fresh: boolean): Promise<WriteBlockReading | null> {
    const usb = await usbOf(dev);
    if (!usb || !speaksTableauQuery(usb)) return bridgeReading(dev, usb);
    const key = `${usb.sysPath}|${usb.serial ?? ''}`;
    let answer = fresh ? undefined : answers.get(key);
    if (!answer) {
      answer = await ask(dev);
      answers.set(key, answer);
    }
    return bridgeReading(dev, usb, answer);
  }

  async function cheapReadings(dev: string): Promise<WriteBlockReading[]> {
    const kernel = await readKernelRo(dev, { sysRoot });
    const bridge = await bridgeOf(dev, false);
    return bridge ? [kernel, bridge] : [kernel];
  }

  return {
    binding: 'linux',

    async read(dev) {
      const kernel = opts.blockdevConfirm === false ? await readKernelRo(dev, { sysRoot }) : await confirmKernelRo(dev, { sysRoot });
      const bridge = await bridgeOf(dev, true);
      return bridge ? [kernel, bridge] : [kernel];
    },

    setReadOnly: (dev) => setKernelRo(dev, { audit: audit(), sysRoot }),

    clearReadOnly: (dev, request: ClearRoRequest) => clearKernelRo(dev, request, { audit: audit(), sysRoot }),

    async watch(dev, wopts: WatchOptions, onChange: (change: WriteBlockChange) => void) {
      const hotplug = (wake: () => void) => {
        if (opts.usbHotplug === false || !wopts.signal) return () => {};
        const stop = new AbortController();
        const both = AbortSignal.any([wopts.signal, stop.signal]);
        void watchUsbHotplug(both, wake).then((r) => {
          if (!r.ok) log?.info({ device: dev, note: r.note }, 'write-block watch polls only: no USB hotplug events');
        });
        return () => stop.abort();
      };
      return pollWriteBlock(dev, () => cheapReadings(dev), wopts, onChange, hotplug);
    },
  };
}
