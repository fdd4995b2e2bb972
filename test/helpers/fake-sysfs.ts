// A fake sysfs tree in a temp dir, shaped like the real one where the code looks: block/NAME is a
// link to the disk's directory under devices/, and the disk's `device` a link to its bus device.

import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface FakeDisk {
  readonly name: string;
  /** The disk's directory, relative to the root: devices/…/block/sda. */
  readonly devpath: string;
  /** The bus device its `device` link points to, relative to the root; none for virtual disks. */
  readonly device?: string;
  /** Attribute files relative to the disk's directory ("size", "queue/read_ahead_kb", "device/model"). */
  readonly attrs: Readonly<Record<string, string | Buffer>>;
}

export async function fakeSysfs(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'imagebox-sysfs-'));
  await mkdir(path.join(root, 'block'));
  return root;
}

export async function writeAt(root: string, rel: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

export async function addDisk(root: string, disk: FakeDisk): Promise<void> {
  const dir = path.join(root, disk.devpath);
  await mkdir(dir, { recursive: true });
  await symlink(path.relative(path.join(root, 'block'), dir), path.join(root, 'block', disk.name));
  if (disk.device) {
    await mkdir(path.join(root, disk.device), { recursive: true });
    await symlink(path.relative(dir, path.join(root, disk.device)), path.join(dir, 'device'));
  }
  for (const [rel, content] of Object.entries(disk.attrs)) await writeAt(root, path.join(disk.devpath, rel), content);
}
