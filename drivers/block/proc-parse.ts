// Pure parsers for the kernel's text interfaces (/proc/self/mountinfo, /proc/swaps, sysfs values)
// and for device numbers. No IO here, so every quirk can be unit-tested from a captured string.

/** A device number as the kernel prints it in mountinfo and sysfs `dev` files: "MAJ:MIN". */
export type DevNumber = string;

export interface MountEntry {
  readonly mountId: number;
  readonly parentId: number;
  /** st_dev of files in this mount; for btrfs and other virtual-device filesystems it is an anonymous 0:N. */
  readonly dev: DevNumber;
  readonly root: string;
  readonly mountPoint: string;
  readonly fsType: string;
  /** The mount source, e.g. /dev/sda1, or a name like "tmpfs" or "overlay". */
  readonly source: string;
}

export interface SwapEntry {
  readonly filename: string;
  readonly type: string;
}

/** The kernel escapes space, tab, newline and backslash in paths as \ooo octal. */
export function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * /proc/self/mountinfo: "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
 * The optional fields between the mount options and " - " vary in number, so the line is split at the separator.
 */
export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const head = line.slice(0, sep).split(' ');
    const tail = line.slice(sep + 3).split(' ');
    if (head.length < 6 || tail.length < 2) continue;
    entries.push({
      mountId: Number(head[0]),
      parentId: Number(head[1]),
      dev: head[2],
      root: unescapeOctal(head[3]),
      mountPoint: unescapeOctal(head[4]),
      fsType: tail[0],
      source: unescapeOctal(tail[1]),
    });
  }
  return entries;
}

/** /proc/swaps: a header line, then "Filename Type Size Used Priority" columns separated by blanks. */
export function parseSwaps(text: string): SwapEntry[] {
  const lines = text.split('\n').slice(1);
  const entries: SwapEntry[] = [];
  for (const line of lines) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 2 || cols[0] === '') continue;
    entries.push({ filename: unescapeOctal(cols[0]), type: cols[1] });
  }
  return entries;
}

/** A sysfs attribute holding one decimal integer ("976773168\n"). */
export function parseSysfsInt(text: string, what: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new Error(`${what}: expected an integer, got ${JSON.stringify(text)}`);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new Error(`${what}: ${t} is beyond 2^53`);
  return n;
}

/** A sysfs `dev` attribute: "8:16\n". */
export function parseDevAttr(text: string): DevNumber {
  const t = text.trim();
  if (!/^\d+:\d+$/.test(t)) throw new Error(`expected MAJ:MIN, got ${JSON.stringify(text)}`);
  return t;
}

/**
 * Split a dev_t as glibc encodes it: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31.
 * Takes a bigint because a 64-bit dev_t does not fit a double's bitwise operators.
 */
export function devNumberOf(dev: bigint): DevNumber {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n);
  const minor = (dev & 0xffn) | ((dev >> 12n) & 0xffffff00n);
  return `${major}:${minor}`;
}

export function majorOf(dev: DevNumber): number {
  return Number(dev.slice(0, dev.indexOf(':')));
}
