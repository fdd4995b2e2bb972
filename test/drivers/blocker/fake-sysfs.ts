// A fake sysfs tree in a temp dir, laid out like the kernel's: devices under /devices, with
// /class/block/NAME and /dev/block/MAJ:MIN as relative symlinks into it. A USB disk hangs below
// its USB device and interface (…/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb), as
// Documentation/ABI/testing/sysfs-bus-usb and the SCSI host layout place it.

import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeUsb {
  readonly vendorId: number;
  readonly productId: number;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly product?: string;
}

export interface FakeDisk {
  readonly name: string;
  readonly dev: string;
  readonly ro?: boolean;
  /** USB devices from the root port down: a hub, then the bridge. Empty or absent: a SATA disk. */
  readonly usbChain?: readonly FakeUsb[];
  readonly partitions?: readonly { readonly name: string; readonly dev: string; readonly ro?: boolean }[];
}

export interface FakeSysfs {
  readonly root: string;
  /** The directory of a block device (…/block/sdb or …/block/sdb/sdb1). */
  dirOf(name: string): string;
  setRo(name: string, ro: boolean): Promise<void>;
  remove(): Promise<void>;
}

const hex = (n: number) => n.toString(16).padStart(4, '0');

async function put(dir: string, attrs: Record<string, string | undefined>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) await writeFile(path.join(dir, k), `${v}\n`);
}

async function link(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(from), { recursive: true });
  await symlink(path.relative(path.dirname(from), to), from);
}

export async function makeFakeSysfs(disks: readonly FakeDisk[]): Promise<FakeSysfs> {
  const root = await mkdtemp(path.join(tmpdir(), 'imagebox-sysfs-'));
  const dirs = new Map<string, string>();
  let host = 0;
  for (const disk of disks) {
    const chain = disk.usbChain ?? [];
    let parent: string;
    if (chain.length === 0) {
      parent = path.join(root, 'devices/pci0000:00/0000:00:17.0', `ata${host + 1}`, `host${host}`);
    } else {
      // The root hub of bus 2 is a USB device too (1d6b:0003): the walk must stop below it.
      let usbDir = path.join(root, 'devices/pci0000:00/0000:00:14.0/usb2');
      await put(usbDir, { idVendor: '1d6b', idProduct: '0003', product: 'xHCI Host Controller' });
      let port = `2-${host + 1}`;
      for (const [i, u] of chain.entries()) {
        usbDir = path.join(usbDir, port);
        await put(usbDir, { idVendor: hex(u.vendorId), idProduct: hex(u.productId), serial: u.serial, manufacturer: u.manufacturer, product: u.product });
        if (i < chain.length - 1) port = `${port}.${i + 3}`;
      }
      const iface = path.join(usbDir, `${port}:1.0`);
      await put(iface, { bInterfaceClass: '08', bInterfaceNumber: '00' });
      parent = path.join(iface, `host${host}`);
    }
    const block = path.join(parent, `target${host}:0:0`, `${host}:0:0:0`, 'block', disk.name);
    await put(block, { ro: disk.ro ? '1' : '0', dev: disk.dev, size: '2048' });
    dirs.set(disk.name, block);
    for (const p of disk.partitions ?? []) {
      const pdir = path.join(block, p.name);
      await put(pdir, { ro: p.ro ? '1' : '0', dev: p.dev, partition: '1', size: '1024' });
      dirs.set(p.name, pdir);
    }
    host++;
  }
  for (const [name, dir] of dirs) {
    await link(path.join(root, 'class/block', name), dir);
    await link(path.join(root, 'dev/block', (await readFile(path.join(dir, 'dev'), 'utf8')).trim()), dir);
  }
  return {
    root,
    dirOf(name) {
      const d = dirs.get(name);
      if (!d) throw new Error(`no fake device ${name}`);
      return d;
    },
    setRo: (name, ro) => writeFile(path.join(dirs.get(name) ?? '', 'ro'), ro ? '1\n' : '0\n'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
