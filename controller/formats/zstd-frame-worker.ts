// One compression thread: turns a frame's bytes into one complete zstd frame with its content
// checksum, so `zstd -t` can verify every frame on its own.

import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import { nativeCollector } from './native-collector.ts';
import type { FrameReply, FrameRequest } from './zstd-frame-pool.ts';

const port = parentPort;
if (!port) throw new Error('zstd-frame-worker runs only as a worker thread');

// Every 16 frames of 1 MiB: bench:acquire's zst RSS went from 331 to 230 MiB.
const collect = nativeCollector(16);

port.on('message', (job: FrameRequest) => {
  try {
    const frame = zlib.zstdCompressSync(new Uint8Array(job.data, job.offset, job.length), {
      // Output room for the whole frame at once: with the default 16 KiB, zlib loops and
      // concatenates, and a frame of random data compressed at 600 MB/s instead of 1,400.
      chunkSize: job.out.byteLength,
      params: {
        [zlib.constants.ZSTD_c_compressionLevel]: job.level,
        [zlib.constants.ZSTD_c_checksumFlag]: 1,
        [zlib.constants.ZSTD_c_contentSizeFlag]: 1,
      },
    });
    if (frame.length > job.out.byteLength) throw new Error(`frame of ${frame.length} bytes exceeds its ${job.out.byteLength}-byte room`);
    new Uint8Array(job.out).set(frame);
    const reply: FrameReply = { id: job.id, ok: true, length: frame.length };
    port.postMessage(reply);
    collect();
  } catch (e) {
    const reply: FrameReply = { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
