// The real discovery binding. Attach and detach are noticed two ways, neither needing udev:
// - inotify on /dev (devtmpfs creates and removes the nodes of disks as they come and go);
// - the kernel's uevent counter, /sys/kernel/uevent_seqnum, read a few times a second. Loop
//   devices need it: their /dev nodes exist before and after attach, so /dev sees nothing, but
//   every attach, detach and resize sends a uevent. (Reading a counter is what netlink would
//   tell us for free; Node has no netlink socket without a native module.)
// A slow full re-list catches what sends no uevent (the kernel read-only flag) and covers hosts
// where neither works. Measured here: a loop attach is reported 0.3-0.6 s after `losetup` starts
// (while vitest runs other files), a detach 0.2-0.35 s after `losetup -d` starts.

import fs from 'node:fs';
import path from 'node:path';
import { listDrives, type ListOptions } from './list-drives.ts';
import type { DiscoveryBinding, DriveListing, WatchOptions } from './types.ts';
import { watchListing, type TriggerStart } from './watch-loop.ts';

export interface LinuxDiscoveryOptions extends ListOptions {
  readonly debounceMs?: number;
  readonly ueventPollMs?: number;
  /** The full re-list that needs nothing to notice a change. */
  readonly safetyPollMs?: number;
}

function watchDev(devDir: string, poke: () => void, signal: AbortSignal, note: (line: string) => void): void {
  try {
    const watcher = fs.watch(devDir, (_event, file) => {
      if (!file) return poke();
      fs.lstat(path.join(devDir, file), (err, st) => {
        // Gone (a detach) or a block node (an attach); ttys, ptys and the like are not drives.
        if ((err && err.code === 'ENOENT') || st?.isBlockDevice()) poke();
      });
    });
    watcher.on('error', (err) => note(`watching ${devDir} stopped (${err.message}); polling instead`));
    signal.addEventListener('abort', () => watcher.close(), { once: true });
  } catch (err) {
    note(`cannot watch ${devDir} (${(err as Error).message}); polling instead`);
  }
}

function watchUeventCounter(file: string, everyMs: number, poke: () => void, signal: AbortSignal, note: (line: string) => void): void {
  let last: string | undefined;
  let reading = false;
  const check = () => {
    if (reading) return;
    reading = true;
    fs.readFile(file, 'utf8', (err, text) => {
      reading = false;
      if (signal.aborted) return;
      if (err) {
        clearInterval(timer);
        note(`cannot read ${file} (${err.code}); loop devices are noticed by polling only`);
        return;
      }
      if (last !== undefined && text !== last) poke();
      last = text;
    });
  };
  const timer = setInterval(check, everyMs);
  check();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

export function linuxDiscovery(opts: LinuxDiscoveryOptions = {}): DiscoveryBinding {
  const sysRoot = opts.sysRoot ?? '/sys';
  const list = (): Promise<DriveListing> => listDrives(opts);
  const triggers: TriggerStart = (poke, signal, note) => {
    watchDev(opts.devDir ?? '/dev', poke, signal, note);
    watchUeventCounter(path.join(sysRoot, 'kernel', 'uevent_seqnum'), opts.ueventPollMs ?? 200, poke, signal, note);
    const safety = setInterval(poke, opts.safetyPollMs ?? 5000);
    signal.addEventListener('abort', () => clearInterval(safety), { once: true });
  };
  return {
    list,
    watch: (w: WatchOptions) => watchListing(list, triggers, w, opts.debounceMs ?? 100),
  };
}
