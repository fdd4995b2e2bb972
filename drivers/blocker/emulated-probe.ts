// An in-process device table with kernel read-only flags and USB bridges that tests can flip,
// behind the same WriteBlockProbe as the host. It keeps the host's rules: a partition is
// read-only when it or its disk is, a missing device reads 'unknown' and cannot be set, a source
// is never made writable, every act is audited, and a switchable bridge is only as engaged as
// it says it is.

import type { Logger } from '../../controller/logger.ts';
import { checkClearRequest, type ClearRoRequest } from './kernel-ro.ts';
import type { WriteBlockProbe } from './probe.ts';
import { describeRoFlags, roEffective, type RoFlags } from './sysfs-ro.ts';
import type { TableauQuery, TableauReport } from './tableau-parm.ts';
import type { WriteBlockReading } from './types.ts';
import { bridgeReading, speaksTableauQuery } from './usb-bridges.ts';
import type { UsbDeviceInfo } from './usb-sysfs.ts';
import { pollWriteBlock } from './watch.ts';

export interface EmulatedBridge {
  readonly usb: UsbDeviceInfo;
  /** What tableau-parm would print, parsed; 'unavailable' when the tool is missing. */
  readonly tableau?: TableauReport | 'unavailable';
}

interface Entry {
  readonly path: string;
  readonly name: string;
  ro: boolean;
  /** The whole disk's path, for a partition. */
  readonly disk?: string;
  bridge?: EmulatedBridge;
}

export class EmulatedBlockers {
  readonly #devices = new Map<string, Entry>();

  addDisk(path: string, opts: { ro?: boolean; bridge?: EmulatedBridge } = {}): this {
    this.#devices.set(path, { path, name: path.replace(/^\/dev\//, ''), ro: opts.ro ?? false, bridge: opts.bridge });
    return this;
  }

  addPartition(path: string, diskPath: string, opts: { ro?: boolean } = {}): this {
    if (!this.#devices.has(diskPath)) throw new Error(`no emulated disk ${diskPath}`);
    this.#devices.set(path, { path, name: path.replace(/^\/dev\//, ''), ro: opts.ro ?? false, disk: diskPath });
    return this;
  }

  /** The device went away (unplugged, detached), with its partitions. */
  remove(path: string): void {
    for (const e of [...this.#devices.values()]) if (e.path === path || e.disk === path) this.#devices.delete(e.path);
  }

  /** Someone else changed the flag (`blockdev --setrw` in another shell). */
  setRoExternally(path: string, ro: boolean): void {
    this.#get(path).ro = ro;
  }

  /** Replaces the bridge in front of a disk (a replug, a mode switch), or removes it. */
  setBridge(path: string, bridge: EmulatedBridge | undefined): void {
    this.#get(this.#diskOf(path)).bridge = bridge;
  }

  #get(path: string): Entry {
    const e = this.#devices.get(path);
    if (!e) throw new Error(`${path}: No such file or directory`);
    return e;
  }

  #diskOf(path: string): string {
    return this.#get(path).disk ?? path;
  }

  #flags(path: string): RoFlags {
    const e = this.#get(path);
    const disk = e.disk ? this.#get(e.disk) : undefined;
    return disk ? { name: e.name, ro: e.ro, disk: { name: disk.name, ro: disk.ro } } : { name: e.name, ro: e.ro };
  }

  #kernel(path: string): WriteBlockReading {
    const at = new Date().toISOString();
    try {
      const flags = this.#flags(path);
      return { method: 'kernel-ro', state: roEffective(flags) ? 'engaged' : 'not-engaged', detail: `${path}: emulated ${describeRoFlags(flags)}`, at };
    } catch (err) {
      return { method: 'kernel-ro', state: 'unknown', detail: `${path}: kernel read-only flag unreadable: ${(err as Error).message}`, at };
    }
  }

  #bridge(path: string): WriteBlockReading | null {
    const e = this.#devices.get(path);
    const bridge = e ? this.#devices.get(this.#diskOf(path))?.bridge : undefined;
    if (!bridge) return null;
    let answer: TableauQuery | undefined;
    if (speaksTableauQuery(bridge.usb)) {
      answer =
        bridge.tableau === undefined || bridge.tableau === 'unavailable'
          ? { ok: false, unavailable: true, note: 'tableau-parm not installed (emulated)' }
          : { ok: true, report: bridge.tableau };
    }
    return bridgeReading(path, bridge.usb, answer);
  }

  #readings(path: string): WriteBlockReading[] {
    const bridge = this.#bridge(path);
    return bridge ? [this.#kernel(path), bridge] : [this.#kernel(path)];
  }

  #setRo(path: string, ro: boolean, audit: Logger, act: string): WriteBlockReading {
    try {
      this.#get(path).ro = ro;
    } catch (err) {
      const why = (err as Error).message;
      audit.error({ act, device: path, ok: false, why }, `blockdev --${act} ${path} failed (emulated)`);
      throw new Error(`blockdev --${act} ${path}: ${why}`);
    }
    return this.#kernel(path);
  }

  probe(opts: { audit: Logger }): WriteBlockProbe {
    const { audit } = opts;
    return {
      binding: 'emulated',
      read: async (dev) => this.#readings(dev),
      setReadOnly: async (dev) => {
        const after = this.#setRo(dev, true, audit, 'setro');
        audit.info({ act: 'setro', device: dev, ok: after.state === 'engaged', detail: after.detail }, `kernel read-only flag set on ${dev} (emulated)`);
        return { ...after, detail: `set by emulated BLKROSET; ${after.detail}` };
      },
      clearReadOnly: async (dev, request: ClearRoRequest) => {
        checkClearRequest(dev, request, audit);
        const after = this.#setRo(dev, false, audit, 'setrw');
        audit.warn({ act: 'setrw', device: dev, role: request.role, reason: request.reason, ok: true }, `kernel read-only flag cleared on ${dev} (emulated)`);
        return { ...after, detail: `cleared by emulated BLKROSET (${request.role}: ${request.reason}); ${after.detail}` };
      },
      watch: (dev, wopts, onChange) => pollWriteBlock(dev, async () => this.#readings(dev), wopts, onChange),
    };
  }
}
