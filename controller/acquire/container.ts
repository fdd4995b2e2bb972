// The image container an acquisition streams into, whatever its format: bytes in, in order; at the
// end, the hashes and the unread sectors go in (E01 keeps them in digest/hash/error2), and the
// container names its files.

import { E01Writer } from '../formats/e01/e01-writer.ts';
import type { E01Metadata, SectorRange } from '../formats/e01/e01-types.ts';
import { createRawWriter } from '../formats/raw.ts';
import { createSplitRawWriter } from '../formats/split-raw.ts';
import type { FileTap, ImageWriter } from '../formats/types.ts';
import { createZstdSeekableWriter } from '../formats/zstd-seekable.ts';
import type { ImageNames } from './image-format.ts';

export type Compression = 'none' | 'fast' | 'best';

export interface ContainerOptions {
  readonly names: ImageNames;
  readonly mediaSize: number;
  readonly sectorSize: number;
  readonly compression: Compression;
  /** Segment size for split raw and E01. */
  readonly segmentSize: number;
  readonly metadata: E01Metadata;
  /** Sees every file's bytes as they are written (to hash them). */
  readonly tap?: FileTap;
}

export interface ContainerEnd {
  readonly md5?: string;
  readonly sha1?: string;
  readonly unread: readonly SectorRange[];
}

export interface Container {
  write(data: Buffer): Promise<void>;
  /** Closes the image and names its files, in order. */
  close(end: ContainerEnd): Promise<{ files: string[]; note?: string }>;
  /** Closes whatever is open after a failure or an interrupt; the files stay for the caller to judge. */
  abandon(): Promise<void>;
}

export async function openContainer(o: ContainerOptions): Promise<Container> {
  if (o.names.format === 'e01') return openE01(o);
  const writer = await openPlain(o);
  return {
    write: (d) => writer.write(d),
    close: () => writer.close(),
    abandon: () => writer.close().then(() => undefined, () => undefined),
  };
}

function openPlain(o: ContainerOptions): Promise<ImageWriter> {
  switch (o.names.format) {
    case 'raw':
      return createRawWriter(o.names.first, o.tap);
    case 'split':
      return createSplitRawWriter(o.names.splitBase!, { segmentSize: o.segmentSize, tap: o.tap });
    case 'zst':
      return createZstdSeekableWriter(o.names.first, { compression: o.compression, tap: o.tap });
    default:
      throw new Error(`not a plain format: ${o.names.format}`);
  }
}

async function openE01(o: ContainerOptions): Promise<Container> {
  if (o.sectorSize !== 512 && o.sectorSize !== 4096) throw new Error(`E01 takes 512- or 4096-byte sectors, not ${o.sectorSize}`);
  const w = await E01Writer.create({
    path: o.names.first,
    mediaSize: o.mediaSize,
    bytesPerSector: o.sectorSize,
    compression: o.compression,
    segmentSize: o.segmentSize,
    metadata: o.metadata,
    tap: o.tap,
  });
  return {
    write: (d) => w.write(d),
    async close(end) {
      if (!end.md5) throw new Error('an E01 image needs the MD5 of its data');
      const r = await w.close({
        md5: Buffer.from(end.md5, 'hex'),
        sha1: end.sha1 ? Buffer.from(end.sha1, 'hex') : undefined,
        unreadRanges: end.unread,
      });
      const note = r.unrecordedRanges.length
        ? `${r.unrecordedRanges.length} unread ranges start past sector 2^32-1, beyond what E01's error2 can hold; the record lists them`
        : undefined;
      return { files: r.segments, note };
    },
    abandon: () => w.abort().catch(() => undefined),
  };
}
