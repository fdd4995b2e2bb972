// Verifying an image: every chunk's own checksum (E01 Adler-32 and zlib, zstd frame XXH64),
// every byte re-hashed and compared with the hashes stored in the image and in its record, each
// segment file's hash, and, when asked, the source read again and compared byte for byte.
// Problems are collected, not thrown, so one damaged chunk does not hide the rest.

import { relative, dirname } from 'node:path';
import type { BlockSource } from '../../drivers/block/types.ts';
import { ALGO_NAMES, type Algo } from '../evidence/algorithms.ts';
import { MultiHasher } from '../evidence/hasher.ts';
import { hashFile } from '../evidence/rehash.ts';
import type { OpenedImage } from './open-image.ts';

export interface VerifyProblem {
  /** 'chunk': a stored chunk is damaged; 'hash': a whole-image hash differs; 'window': a piecewise
   *  window differs; 'segment': a file's hash differs; 'source': the source differs from the image. */
  readonly kind: 'chunk' | 'hash' | 'window' | 'segment' | 'source' | 'layout';
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: string[];
  readonly problems: VerifyProblem[];
  readonly hashes: Partial<Record<Algo, string>>;
}

const PIECE = 1 << 20;
const MAX_SOURCE_REPORTS = 20;

function sectors(offset: number, length: number, sectorSize: number): string {
  return `sectors ${Math.floor(offset / sectorSize)}-${Math.ceil((offset + length) / sectorSize) - 1}`;
}

export interface VerifyOptions {
  readonly source?: BlockSource;
  readonly signal?: AbortSignal;
  /** Hashes to compare with besides the stored ones (those an acquisition just computed). */
  readonly expected?: Partial<Record<Algo, string>>;
}

export async function verifyImage(img: OpenedImage, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const { reader, record, e01 } = img;
  const sectorSize = record?.imaged.sectorSize ?? e01?.bytesPerSector ?? 512;
  const problems: VerifyProblem[] = [];
  const checked: string[] = [];
  if (record && record.imaged.sizeBytes !== reader.size) {
    problems.push({ kind: 'layout', message: `the image holds ${reader.size} bytes; the record says ${record.imaged.sizeBytes}` });
  }
  for (const p of e01?.problems ?? []) problems.push({ kind: 'layout', message: p });

  const stored = storedHashes(img);
  for (const [a, hex] of Object.entries(opts.expected ?? {}) as [Algo, string][]) (stored[a] ??= []).push({ hex, from: 'acquisition' });
  const algos = (Object.keys(stored) as Algo[]).length ? (Object.keys(stored) as Algo[]) : (['md5', 'sha256'] as Algo[]);
  const window = record?.piecewise?.windowBytes;
  const hasher = await MultiHasher.create({ algos, window });
  let areas = 0;
  try {
    for await (const c of reader.checks()) {
      opts.signal?.throwIfAborted();
      areas++;
      if (!c.ok) {
        problems.push({ kind: 'chunk', message: `${c.where} (image bytes ${c.offset}-${c.offset + c.length - 1}, ${sectors(c.offset, c.length, sectorSize)}): ${c.error}` });
        // Zeros keep the hashes going, so the windows after this one are still checked.
        await hasher.update(Buffer.alloc(c.length));
        continue;
      }
      for (let at = c.offset; at < c.offset + c.length; at += PIECE) {
        await hasher.update(await reader.read(at, Math.min(PIECE, c.offset + c.length - at)));
      }
    }
    const { digests, pieces } = await hasher.finish();
    checked.push(`${areas} stored areas read and checked`);
    for (const [algo, want] of Object.entries(stored) as [Algo, { hex: string; from: string }[]][]) {
      for (const w of want) {
        if (w.hex === digests[algo]) checked.push(`${ALGO_NAMES[algo]} matches the ${w.from}: ${w.hex}`);
        else problems.push({ kind: 'hash', message: `${ALGO_NAMES[algo]} of the image is ${digests[algo]}; the ${w.from} says ${w.hex}` });
      }
    }
    if (record?.piecewise && pieces) {
      const bad = record.piecewise.pieces.filter((p, i) => Object.entries(p.hashes).some(([a, hex]) => pieces[i]?.hashes[a as Algo] !== hex));
      for (const p of bad) problems.push({ kind: 'window', message: `piecewise window at image bytes ${p.offset}-${p.offset + p.length - 1} (${sectors(p.offset, p.length, sectorSize)}) differs` });
      if (!bad.length) checked.push(`${record.piecewise.pieces.length} piecewise windows match`);
    }
    await checkSegments(img, problems, checked);
    if (opts.source) await compareSource(img, opts.source, problems, checked, opts.signal);
    return { ok: problems.length === 0, checked, problems, hashes: digests };
  } finally {
    await hasher.close().catch(() => undefined);
  }
}

/** Every hash the image or its record states, with where it was found. */
function storedHashes(img: OpenedImage): Partial<Record<Algo, { hex: string; from: string }[]>> {
  const out: Partial<Record<Algo, { hex: string; from: string }[]>> = {};
  const add = (a: Algo, hex: string, from: string) => (out[a] ??= []).push({ hex: hex.toLowerCase(), from });
  for (const h of img.record?.hashes ?? []) add(h.algorithm, h.hex, 'acquisition record');
  if (img.e01?.storedMd5) add('md5', img.e01.storedMd5.toString('hex'), 'E01 digest section');
  if (img.e01?.storedSha1) add('sha1', img.e01.storedSha1.toString('hex'), 'E01 digest section');
  return out;
}

async function checkSegments(img: OpenedImage, problems: VerifyProblem[], checked: string[]): Promise<void> {
  const segs = img.record?.output.segments ?? [];
  const dir = dirname(img.names.base);
  for (const s of segs) {
    const algos = s.hashes.map((h) => h.algorithm);
    if (!algos.length) continue;
    const path = `${dir}/${s.file}`;
    let got: Partial<Record<Algo, string>>;
    try {
      got = (await hashFile(path, { algos })).digests;
    } catch (err) {
      problems.push({ kind: 'segment', message: `${s.file}: ${(err as Error).message}` });
      continue;
    }
    const bad = s.hashes.filter((h) => got[h.algorithm] !== h.hex);
    if (bad.length) problems.push({ kind: 'segment', message: `file ${relative(dir, path)}: ${bad.map((h) => `${ALGO_NAMES[h.algorithm]} is ${got[h.algorithm]}, recorded ${h.hex}`).join('; ')}` });
  }
  if (segs.length) checked.push(`${segs.length} segment file(s) hashed against the record`);
}

/** Reads the source again and compares it with the image, except where the record says nothing was read. */
async function compareSource(img: OpenedImage, source: BlockSource, problems: VerifyProblem[], checked: string[], signal?: AbortSignal): Promise<void> {
  const { reader } = img;
  if (source.size !== reader.size) {
    problems.push({ kind: 'source', message: `the source holds ${source.size} bytes; the image ${reader.size}` });
    return;
  }
  const unread = img.record?.unread.ranges ?? [];
  const isUnread = (pos: number) => unread.some((r) => pos >= r.startByte && pos < r.endByte);
  let reported = 0;
  let differing = 0;
  let skipped = 0;
  for (let pos = 0; pos < source.size; pos += PIECE) {
    signal?.throwIfAborted();
    const len = Math.min(PIECE, source.size - pos);
    const [r, image] = await Promise.all([source.read(pos, len), reader.read(pos, len)]);
    if (!r.ok) {
      skipped += len;
      if (!isUnread(pos) && reported++ < MAX_SOURCE_REPORTS) problems.push({ kind: 'source', message: `source read failed at byte ${pos} (${r.message}); image area ${sectors(pos, len, source.sectorSize)} not compared` });
      continue;
    }
    if (r.data.equals(image)) continue;
    for (let s = 0; s < len; s += source.sectorSize) {
      const a = r.data.subarray(s, s + source.sectorSize);
      if (a.equals(image.subarray(s, s + source.sectorSize)) || isUnread(pos + s)) continue;
      differing++;
      if (reported++ < MAX_SOURCE_REPORTS) problems.push({ kind: 'source', message: `sector ${(pos + s) / source.sectorSize} differs between the source and the image` });
    }
  }
  if (differing > MAX_SOURCE_REPORTS) problems.push({ kind: 'source', message: `${differing} sectors differ in all` });
  checked.push(`source re-read and compared (${source.size - skipped} bytes${unread.length ? ', unread ranges excepted' : ''})`);
}
