// The bytes an emulated drive holds: a deterministic function of (seed, position), so a test can
// check any image byte for byte without storing the drive. Each 64 KiB region is random bytes,
// zeros or text, picked by hashing the seed and the region index; that mix exercises compression,
// sparse output and hashing the way a real disk does.

import { hashIndex, Rng } from './prng.ts';

export type ContentKind = 'random' | 'zero' | 'text';

export const REGION_SIZE = 64 * 1024;
/** Random and text content are generated per chunk, so a one-sector read generates 4 KiB, not 64. */
const CHUNK = 4096;
const TEXT_PAGES = 64;
const SALT_KIND = 0x6b696e64;
const SALT_RANDOM = 0x72616e64;
const SALT_PAGE = 0x70616765;

const WORDS = (
  'the of and to in is that for it as with was on be by this are from at or an have not which ' +
  'disk sector track head platter cylinder firmware cache block image hash verify rescue drive ' +
  'error read write offset length status report evidence case examiner acquisition partition ' +
  'volume filesystem inode journal superblock directory file record index table 0x1f 42 2024 ' +
  'README.txt /var/log/syslog Lorem ipsum dolor sit amet, consectetur adipiscing elit; {"id": 7}'
).split(' ');

export function regionKind(seed: number, region: number): ContentKind {
  const h = hashIndex(seed, region, SALT_KIND) % 100;
  return h < 45 ? 'random' : h < 70 ? 'zero' : 'text';
}

export class Content {
  readonly seed: number;
  private readonly scratch = Buffer.alloc(CHUNK);
  private readonly scratchWords = new Uint32Array(this.scratch.buffer, this.scratch.byteOffset, CHUNK / 4);
  private pages: Buffer[] | undefined;

  constructor(seed: number) {
    this.seed = seed;
  }

  kindAt(pos: number): ContentKind {
    return regionKind(this.seed, Math.floor(pos / REGION_SIZE));
  }

  /** Fills buf with the drive's bytes from pos on. */
  fill(pos: number, buf: Uint8Array): void {
    let o = 0;
    while (o < buf.length) {
      const cur = pos + o;
      const chunk = Math.floor(cur / CHUNK);
      const within = cur - chunk * CHUNK;
      const n = Math.min(CHUNK - within, buf.length - o);
      const kind = regionKind(this.seed, Math.floor(cur / REGION_SIZE));
      if (kind === 'zero') {
        buf.fill(0, o, o + n);
      } else if (kind === 'random' && within === 0 && n === CHUNK && (buf.byteOffset + o) % 4 === 0) {
        // Straight into the caller's memory: the common case of aligned reads costs no copy.
        // Words land in the platform's byte order; every machine we run on is little-endian.
        new Rng(hashIndex(this.seed, chunk, SALT_RANDOM)).fill(new Uint32Array(buf.buffer, buf.byteOffset + o, CHUNK / 4));
      } else {
        this.chunkInto(kind, chunk);
        buf.set(this.scratch.subarray(within, within + n), o);
      }
      o += n;
    }
  }

  private chunkInto(kind: ContentKind, chunk: number): void {
    if (kind === 'random') {
      new Rng(hashIndex(this.seed, chunk, SALT_RANDOM)).fill(this.scratchWords);
      return;
    }
    this.pages ??= textPages(this.seed);
    this.scratch.set(this.pages[hashIndex(this.seed, chunk, SALT_PAGE) % TEXT_PAGES]);
    // Pages repeat; the position stamped at the top makes every chunk unique, so misplaced data shows.
    this.scratch.write(`@${(chunk * CHUNK).toString(16).padStart(12, '0')} `, 0, 'latin1');
  }
}

/** A few pages of word salad in lines, built once per seed; chunks of text regions copy them. */
function textPages(seed: number): Buffer[] {
  const rng = new Rng(seed ^ SALT_PAGE);
  const pages: Buffer[] = [];
  for (let p = 0; p < TEXT_PAGES; p++) {
    const page = Buffer.alloc(CHUNK);
    let o = 0;
    let line = 0;
    while (o < CHUNK) {
      const word = WORDS[rng.next() % WORDS.length];
      o += page.write(word, o, 'latin1');
      line += word.length + 1;
      if (o >= CHUNK) break;
      const newline = line > 60 + (rng.next() % 20);
      page[o++] = newline ? 0x0a : 0x20;
      if (newline) line = 0;
    }
    pages.push(page);
  }
  return pages;
}
