// The Linux binding: files and block devices, read with O_DIRECT on a dedicated worker thread.
// Read-only by construction: the source is only ever opened O_RDONLY, by the worker.

import fs from 'node:fs/promises';
import { MAX_READ_BYTES } from './aligned.ts';
import { devNumberOf } from './proc-parse.ts';
import { OpenError, ReadSession } from './read-session.ts';
import { blockGeometry } from './sysfs.ts';
import { checkReadRange } from './read-range.ts';
import type { BlockSource, ReadFailure, ReadOptions, ReadResult } from './types.ts';

export { openSink } from './linux-sink.ts';
export type { SinkOptions } from './linux-sink.ts';

export interface SourceOptions {
  /** Bypass the page cache (default true). A file on a filesystem that refuses it is read buffered. */
  readonly direct?: boolean;
  /** Logical sector size for a regular file (default 512). Ignored for block devices. */
  readonly sectorSize?: number;
}

export interface SourceStats {
  readonly reads: number;
  /** Bytes returned by successful reads. */
  readonly bytes: number;
  readonly errors: number;
  readonly timeouts: number;
  /** New workers started after a timeout or on request. */
  readonly reopens: number;
}

export type LinuxBlockSource = BlockSource & {
  readonly kind: 'block' | 'file';
  stats(): SourceStats;
};

interface Shape {
  readonly kind: 'block' | 'file';
  readonly size: number;
  readonly sectorSize: number;
}

async function shapeOf(path: string, opts: SourceOptions): Promise<Shape> {
  const st = await fs.stat(path, { bigint: true });
  if (st.isBlockDevice()) {
    const g = await blockGeometry(devNumberOf(st.rdev));
    return { kind: 'block', size: g.size, sectorSize: g.logicalSectorSize };
  }
  if (st.isFile()) {
    const sectorSize = opts.sectorSize ?? 512;
    if (!Number.isInteger(sectorSize) || sectorSize < 512 || (sectorSize & (sectorSize - 1)) !== 0) {
      throw new RangeError(`sector size ${sectorSize} is not a power of two of at least 512`);
    }
    return { kind: 'file', size: Number(st.size), sectorSize };
  }
  throw new Error(`${path} is neither a block device nor a regular file`);
}

export async function openSource(path: string, opts: SourceOptions = {}): Promise<LinuxBlockSource> {
  const shape = await shapeOf(path, opts);
  const first = await ReadSession.open(path, { direct: opts.direct ?? true, allowBuffered: shape.kind === 'file' });
  // Every later worker opens the same way as the first, so `direct` stays true to its word.
  const sessionOpts = { direct: first.direct, allowBuffered: false };
  let session: ReadSession | undefined = first;
  let closed = false;
  const counters = { reads: 0, bytes: 0, errors: 0, timeouts: 0, reopens: 0 };
  // Reads are serialised: each worker has one buffer, and a drive answers one command at a time anyway.
  let queue: Promise<unknown> = Promise.resolve();



  /** A live session, starting one when the last was given up on; an open failure is the read's error. */
  let opening: Promise<ReadSession | ReadFailure> | undefined;
  const liveSession = (): Promise<ReadSession | ReadFailure> => {
    if (session?.alive) return Promise.resolve(session);
    opening ??= ReadSession.open(path, sessionOpts).then(
      async (s): Promise<ReadSession | ReadFailure> => {
        opening = undefined;
        if (closed) {
          await s.close();
          return { ok: false, kind: 'error', code: 'EBADF', message: `${path}: closed` };
        }
        session = s;
        return s;
      },
      (e: NodeJS.ErrnoException): ReadFailure => {
        opening = undefined;
        return { ok: false, kind: 'error', code: e.code ?? 'EUNKNOWN', message: `reopen failed: ${e.message}` };
      },
    );
    return opening;
  };

  const readChunk = async (pos: number, len: number, timeoutMs: number | undefined): Promise<ReadResult> => {
    const s = await liveSession();
    if (!(s instanceof ReadSession)) return s;
    // The tail of a file that is not whole sectors: O_DIRECT wants a whole sector, and gets fewer bytes back.
    const ioLen = len % shape.sectorSize === 0 ? len : len + shape.sectorSize - (len % shape.sectorSize);
    const r = await s.read(pos, ioLen, timeoutMs, len);
    if (!r.ok && r.kind === 'timeout') {
      // The session gave up its worker; the next read gets a fresh thread and fd.
      counters.timeouts++;
      counters.reopens++;
    }
    return r;
  };

  const readAll = async (pos: number, len: number, timeoutMs: number | undefined): Promise<ReadResult> => {
    if (closed) throw new Error(`${path}: read after close`);
    counters.reads++;
    const parts: Buffer[] = [];
    let deviceMs = 0;
    for (let at = pos; at < pos + len; at += MAX_READ_BYTES) {
      const r = await readChunk(at, Math.min(MAX_READ_BYTES, pos + len - at), timeoutMs);
      if (!r.ok) {
        if (r.kind === 'error') counters.errors++;
        return r;
      }
      parts.push(r.data);
      deviceMs += r.deviceMs ?? 0;
    }
    counters.bytes += len;
    return { ok: true, data: parts.length === 1 ? parts[0] : Buffer.concat(parts), deviceMs };
  };

  const source: LinuxBlockSource = {
    path,
    kind: shape.kind,
    size: shape.size,
    sectorSize: shape.sectorSize,
    direct: first.direct,

    // A read above MAX_READ_BYTES runs as several worker reads, each given the full timeoutMs.
    read(pos: number, len: number, ro: ReadOptions = {}): Promise<ReadResult> {
      if (closed) return Promise.reject(new Error(`${path}: read after close`));
      try {
        checkReadRange(path, pos, len, shape.sectorSize, shape.size);
      } catch (e) {
        return Promise.reject(e);
      }
      const result = queue.then(() => readAll(pos, len, ro.timeoutMs));
      queue = result.catch(() => {});
      return result;
    },

    // Does not wait for a read in flight: that read may be the one hanging. It ends with ECANCELED.
    async reopen(): Promise<void> {
      if (closed) throw new Error(`${path}: reopen after close`);
      const old = session;
      session = undefined;
      counters.reopens++;
      await old?.close();
      const s = await liveSession();
      if (!(s instanceof ReadSession)) throw new OpenError(s.code, s.message);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const s = session;
      session = undefined;
      await s?.close();
    },

    stats: () => ({ ...counters }),
  };
  return source;
}
