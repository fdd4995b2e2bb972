// The seek table of zstd's seekable format (facebook/zstd contrib/seekable_format): a skippable
// frame at the end of the file with one entry per frame, so a reader can find any byte without
// decompressing what comes before it. Plain `zstd -d` skips it, so the file stays an ordinary .zst.

export const SKIPPABLE_MAGIC = 0x184d2a5e;
export const SEEKABLE_MAGIC = 0x8f92eab1;
export const FOOTER_SIZE = 9;
const CHECKSUM_FLAG = 0x80;
/** Bits 6-2 are reserved for breaking changes; a reader must refuse a table that sets them. */
const RESERVED_BITS = 0x7c;
/** The contrib implementation's limits: frames per file, and decompressed bytes per frame. */
export const MAX_FRAMES = 0x8000000;
export const MAX_FRAME_SIZE = 0x40000000;

export interface SeekEntry {
  readonly compressedSize: number;
  readonly decompressedSize: number;
  /** Low 32 bits of the XXH64 of the frame's decompressed bytes; absent when the table has none. */
  readonly checksum?: number;
}

/**
 * Collects entries as packed 12-byte records rather than objects: a 20 TB image in 1 MiB frames
 * has 20 million of them, 240 MB packed and several times that as objects.
 */
export class SeekTableBuilder {
  #buf = Buffer.alloc(8 + 1024 * 12 + FOOTER_SIZE);
  #frames = 0;

  get frames(): number {
    return this.#frames;
  }

  add(compressedSize: number, decompressedSize: number, checksum: number): void {
    if (this.#frames === MAX_FRAMES) throw new Error(`more than ${MAX_FRAMES} frames: use a larger frame size`);
    const at = 8 + this.#frames * 12;
    if (at + 12 + FOOTER_SIZE > this.#buf.length) {
      const bigger = Buffer.alloc(this.#buf.length * 2);
      this.#buf.copy(bigger, 0, 0, at);
      this.#buf = bigger;
    }
    this.#buf.writeUInt32LE(compressedSize, at);
    this.#buf.writeUInt32LE(decompressedSize, at + 4);
    this.#buf.writeUInt32LE(checksum, at + 8);
    this.#frames++;
  }

  /** The whole skippable frame: magic, size, entries (with checksums), footer. */
  finish(): Buffer {
    const content = this.#frames * 12 + FOOTER_SIZE;
    const b = this.#buf.subarray(0, 8 + content);
    b.writeUInt32LE(SKIPPABLE_MAGIC, 0);
    b.writeUInt32LE(content, 4);
    const at = 8 + this.#frames * 12;
    b.writeUInt32LE(this.#frames, at);
    b.writeUInt8(CHECKSUM_FLAG, at + 4);
    b.writeUInt32LE(SEEKABLE_MAGIC, at + 5);
    return b;
  }
}

export interface ParsedFooter {
  readonly frames: number;
  readonly checksums: boolean;
  /** Bytes of the whole skippable frame (header, entries, footer): how far back it starts from the end. */
  readonly tableSize: number;
}

/** Reads the 9-byte footer (the file's last 9 bytes). Throws a message saying which field is wrong. */
export function parseFooter(footer: Buffer): ParsedFooter {
  if (footer.length !== FOOTER_SIZE) throw new Error(`footer is ${footer.length} bytes, expected ${FOOTER_SIZE}`);
  const magic = footer.readUInt32LE(5);
  if (magic !== SEEKABLE_MAGIC) {
    throw new Error(`no seek table: the last 4 bytes are 0x${magic.toString(16)}, not the seekable magic 0x${SEEKABLE_MAGIC.toString(16)}`);
  }
  const frames = footer.readUInt32LE(0);
  const descriptor = footer[4];
  if (descriptor & RESERVED_BITS) throw new Error(`seek table descriptor 0x${descriptor.toString(16)} sets reserved bits`);
  if (frames > MAX_FRAMES) throw new Error(`seek table claims ${frames} frames, more than the format allows (${MAX_FRAMES})`);
  const checksums = (descriptor & CHECKSUM_FLAG) !== 0;
  return { frames, checksums, tableSize: 8 + frames * (checksums ? 12 : 8) + FOOTER_SIZE };
}

/** The parsed table, kept packed; entries are read out on demand. */
export interface SeekTable {
  readonly frames: number;
  readonly checksums: boolean;
  entry(i: number): SeekEntry;
}

/** Parses the whole skippable frame, whose footer `parseFooter` has already read. */
export function parseSeekTable(table: Buffer, footer: ParsedFooter): SeekTable {
  if (table.length !== footer.tableSize) throw new Error(`seek table is ${table.length} bytes, expected ${footer.tableSize}`);
  const magic = table.readUInt32LE(0);
  if (magic !== SKIPPABLE_MAGIC) throw new Error(`seek table frame starts 0x${magic.toString(16)}, not the skippable magic 0x${SKIPPABLE_MAGIC.toString(16)}`);
  const declared = table.readUInt32LE(4);
  if (declared !== footer.tableSize - 8) throw new Error(`seek table frame declares ${declared} bytes, its footer implies ${footer.tableSize - 8}`);
  const width = footer.checksums ? 12 : 8;
  const { frames, checksums } = footer;
  return {
    frames,
    checksums,
    entry(i: number): SeekEntry {
      if (!Number.isInteger(i) || i < 0 || i >= frames) throw new RangeError(`no seek table entry ${i}`);
      const at = 8 + i * width;
      const compressedSize = table.readUInt32LE(at);
      const decompressedSize = table.readUInt32LE(at + 4);
      return checksums ? { compressedSize, decompressedSize, checksum: table.readUInt32LE(at + 8) } : { compressedSize, decompressedSize };
    },
  };
}

/** Where entry i sits in the file, for naming it in a report. */
export function entryRange(tableStart: number, i: number, checksums: boolean): [number, number] {
  const width = checksums ? 12 : 8;
  const first = tableStart + 8 + i * width;
  return [first, first + width - 1];
}
