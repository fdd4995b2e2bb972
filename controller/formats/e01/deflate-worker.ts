// One deflate thread: encodes a batch of 32 KiB chunks as E01 stores them, into one buffer it gives
// back, so a batch costs two messages instead of a libuv job per chunk.

import { parentPort } from 'node:worker_threads';
import { nativeCollector } from '../native-collector.ts';
import { encodeChunkSync } from './chunk-codec.ts';
import { outBytes, type DeflateReply, type DeflateRequest } from './deflate-pool.ts';
import { CHUNK_BYTES } from './e01-types.ts';
import { isal } from './isal-deflate.ts';

const port = parentPort;
if (!port) throw new Error('deflate-worker runs only as a worker thread');

// A batch is 1 MiB, 32 deflate contexts left for the collector (native-collector.ts): every 32
// batches, bench:acquire's E01 RSS went from 303 to 229 MiB (every 8 cost a fifth of the speed).
// ISA-L's fast chunks leave none (its state is one buffer per thread, isal-deflate.c), so they are
// not collected for: the forced collections cost this thread about a fifth of its time.
const collectZlib = nativeCollector(32);
const collect = (compression: DeflateRequest['compression']): void => {
  if (!(isal && compression === 'fast')) collectZlib();
};

port.on('message', (job: DeflateRequest) => {
  try {
    const src = Buffer.from(job.data, job.offset, job.length);
    const n = Math.ceil(job.length / CHUNK_BYTES);
    const room = outBytes(job.length);
    const ob = Buffer.from(job.out, 0, room);
    const sizes = new Int32Array(job.out, room, n);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const s = encodeChunkSync(src.subarray(i * CHUNK_BYTES, Math.min((i + 1) * CHUNK_BYTES, job.length)), job.compression);
      s.body.copy(ob, at);
      at += s.body.length;
      if (s.checksum) {
        s.checksum.copy(ob, at);
        at += 4;
      }
      sizes[i] = s.compressed ? s.size : -s.size;
    }
    const reply: DeflateReply = { id: job.id, ok: true };
    port.postMessage(reply);
    collect(job.compression);
  } catch (e) {
    const reply: DeflateReply = { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
