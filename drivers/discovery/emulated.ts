// The emulated discovery binding: an in-process set of drives that tests and HIL scenarios attach
// and detach. It keeps the kernel's rules (a name is taken once, only an attached drive can leave,
// sizes are whole logical sectors, sector sizes are powers of two from 512 with logical <= physical)
// and reports through the same watch loop as the real binding.

import type { DiscoveryBinding, Drive, DriveListing, WatchOptions } from './types.ts';
import { watchListing } from './watch-loop.ts';

/** A complete Drive from the facts a test cares about; the rest are those of an idle USB disk. */
export function emulatedDrive(facts: Partial<Drive> & { readonly name: string }): Drive {
  return {
    path: `/dev/${facts.name}`, dev: null, size: 64 * 1024 * 1024, logicalSectorSize: 512, physicalSectorSize: 512,
    readOnly: false, removable: false, transport: 'usb', vendor: null, model: null, serial: null, wwid: null,
    backingFile: null, partitions: [], mountPoints: [], systemDisk: false, description: null, problem: null,
    ...facts,
  };
}

function checkRules(d: Drive): void {
  const pow2 = (n: number) => n >= 512 && (n & (n - 1)) === 0;
  if (!pow2(d.logicalSectorSize) || !pow2(d.physicalSectorSize) || d.physicalSectorSize < d.logicalSectorSize) {
    throw new Error(`${d.name}: sector sizes ${d.logicalSectorSize}/${d.physicalSectorSize} are not a disk's`);
  }
  if (d.size % d.logicalSectorSize !== 0) throw new Error(`${d.name}: size ${d.size} is not whole ${d.logicalSectorSize}-byte sectors`);
}

export interface EmulatedDiscovery extends DiscoveryBinding {
  attach(drive: Drive): void;
  detach(name: string): void;
  /** A change on an attached drive, as a resize or a mount would make. */
  update(name: string, facts: Partial<Omit<Drive, 'name'>>): void;
}

export function emulatedDiscovery(initial: readonly Drive[] = [], opts: { readonly debounceMs?: number } = {}): EmulatedDiscovery {
  const drives = new Map<string, Drive>();
  const pokes = new EventTarget();
  const put = (d: Drive) => {
    checkRules(d);
    drives.set(d.name, d);
    pokes.dispatchEvent(new Event('poke'));
  };
  const attached = (name: string): Drive => {
    const d = drives.get(name);
    if (!d) throw new Error(`${name} is not attached`);
    return d;
  };
  for (const d of initial) put(d);
  const list = async (): Promise<DriveListing> => ({
    drives: [...drives.values()].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
    notes: [],
  });
  return {
    list,
    watch: (w: WatchOptions) =>
      watchListing(list, (poke, signal) => {
        pokes.addEventListener('poke', poke);
        signal.addEventListener('abort', () => pokes.removeEventListener('poke', poke), { once: true });
      }, w, opts.debounceMs ?? 10),
    attach(drive) {
      if (drives.has(drive.name)) throw new Error(`${drive.name} is already attached`);
      put(drive);
    },
    detach(name) {
      attached(name);
      drives.delete(name);
      pokes.dispatchEvent(new Event('poke'));
    },
    update(name, facts) {
      put({ ...attached(name), ...facts });
    },
  };
}
