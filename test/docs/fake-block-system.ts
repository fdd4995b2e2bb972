// A fake machine for imagebox-setro: a sysfs tree shaped like the real one where the script looks
// (class/block/NAME and dev/block/MAJ:MIN links to device directories, `partition` files,
// slaves/ and holders/ links), a /dev directory with by-uuid and by-label links, and fstab,
// mountinfo and swaps files, all in a temp dir.

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const BUS = 'devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block';
const VIRTUAL = 'devices/virtual/block';

export class FakeBlockSystem {
  readonly root: string;
  readonly sys: string;
  readonly dev: string;
  private readonly dirs = new Map<string, string>();

  private constructor(root: string) {
    this.root = root;
    this.sys = path.join(root, 'sys');
    this.dev = path.join(root, 'dev');
  }

  static async create(): Promise<FakeBlockSystem> {
    const fake = new FakeBlockSystem(await mkdtemp(path.join(os.tmpdir(), 'imagebox-setro-')));
    for (const d of ['sys/class/block', 'sys/dev/block', 'dev/disk/by-uuid', 'dev/disk/by-label']) await mkdir(path.join(fake.root, d), { recursive: true });
    await fake.files({ fstab: '', mountinfo: '', swaps: 'Filename\tType\tSize\tUsed\tPriority\n' });
    return fake;
  }

  /** A device directory (its relative path under sys) linked from class/block and dev/block. */
  private async device(name: string, rel: string, majmin: string, partition: boolean): Promise<void> {
    const dir = path.join(this.sys, rel);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'dev'), `${majmin}\n`);
    if (partition) await writeFile(path.join(dir, 'partition'), '1\n');
    await symlink(path.relative(path.join(this.sys, 'class/block'), dir), path.join(this.sys, 'class/block', name));
    await symlink(path.relative(path.join(this.sys, 'dev/block'), dir), path.join(this.sys, 'dev/block', majmin));
    this.dirs.set(name, rel);
  }

  /** A disk on a bus, with partitions NAME1, NAME2, ... (nvme-style names get a `p`). */
  async disk(name: string, major: number, minor: number, partitions = 0, virtual = false): Promise<void> {
    await this.device(name, `${virtual ? VIRTUAL : BUS}/${name}`, `${major}:${minor}`, false);
    const sep = /\d$/.test(name) ? 'p' : '';
    for (let n = 1; n <= partitions; n++) {
      await this.device(`${name}${sep}${n}`, `${this.dirs.get(name)}/${name}${sep}${n}`, `${major}:${minor + n}`, true);
    }
  }

  /** A device-mapper device stacked on `under` (slaves/ and holders/ links both ways). */
  async dm(name: string, minor: number, under: readonly string[]): Promise<void> {
    await this.disk(name, 253, minor, 0, true);
    const dmDir = path.join(this.sys, this.dirs.get(name)!);
    await mkdir(path.join(dmDir, 'slaves'));
    for (const u of under) {
      const uDir = path.join(this.sys, this.dirs.get(u)!);
      await mkdir(path.join(uDir, 'holders'), { recursive: true });
      await symlink(path.relative(path.join(dmDir, 'slaves'), uDir), path.join(dmDir, 'slaves', u));
      await symlink(path.relative(path.join(uDir, 'holders'), dmDir), path.join(uDir, 'holders', name));
    }
  }

  /** /dev/disk/by-KIND/VALUE -> ../../NAME, as udev makes them. */
  async link(kind: 'uuid' | 'label', value: string, name: string): Promise<void> {
    await symlink(`../../${name}`, path.join(this.dev, 'disk', `by-${kind}`, value));
  }

  async files(f: { fstab?: string; mountinfo?: string; swaps?: string }): Promise<void> {
    if (f.fstab !== undefined) await writeFile(path.join(this.root, 'fstab'), f.fstab);
    if (f.mountinfo !== undefined) await writeFile(path.join(this.root, 'mountinfo'), f.mountinfo);
    if (f.swaps !== undefined) await writeFile(path.join(this.root, 'swaps'), f.swaps);
  }

  /** The script's environment for reading this machine and only printing its decision. */
  env(): Record<string, string> {
    return {
      IMAGEBOX_SYSFS: this.sys,
      IMAGEBOX_DEV: this.dev,
      IMAGEBOX_FSTAB: path.join(this.root, 'fstab'),
      IMAGEBOX_MOUNTS: path.join(this.root, 'mountinfo'),
      IMAGEBOX_SWAPS: path.join(this.root, 'swaps'),
      IMAGEBOX_BYUUID: path.join(this.dev, 'disk/by-uuid'),
      IMAGEBOX_DEVDISK: path.join(this.dev, 'disk'),
      IMAGEBOX_SETRO_DRYRUN: '1',
    };
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
