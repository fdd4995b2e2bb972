// One compression thread: turns a frame's bytes into one complete zstd frame with its content
// checksum, so `zstd -t` can verify every frame on its own.

import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import { nativeCollector } from './native-collector.ts';
import type { FrameReply, FrameRequest } from './zstd-frame-pool.ts';
import { zstdNative } from './zstd-native.ts';

const port = parentPort;
if (!port) throw new Error('zstd-frame-worker runs only as a worker thread');

// node:zlib leaves a context per frame for the collector. Collecting every 16 frames of 1 MiB:
// bench:acquire's zst RSS went from 331 to 230 MiB. The native path leaves nothing to collect.
const collect = zstdNative ? () => {} : nativeCollector(16);

function zlibFrame(src: Uint8Array, out: Uint8Array, level: number): number {
  const frame = zlib.zstdCompressSync(src, {
    // Output room for the whole frame at once: with the default 16 KiB, zlib loops and
    // concatenates, and a frame of random data compressed at 600 MB/s instead of 1,400.
    chunkSize: out.byteLength,
    params: {
      [zlib.constants.ZSTD_c_compressionLevel]: level,
      [zlib.constants.ZSTD_c_checksumFlag]: 1,
      [zlib.constants.ZSTD_c_contentSizeFlag]: 1,
    },
  });
  if (frame.length > out.byteLength) throw new Error(`frame of ${frame.length} bytes exceeds its ${out.byteLength}-byte room`);
  out.set(frame);
  return frame.length;
}

const compress = zstdNative ? zstdNative.compressFrame : zlibFrame;

port.on('message', (job: FrameRequest) => {
  try {
    const length = compress(new Uint8Array(job.data, job.offset, job.length), new Uint8Array(job.out), job.level);
    const reply: FrameReply = { id: job.id, ok: true, length };
    port.postMessage(reply);
    collect();
  } catch (e) {
    const reply: FrameReply = { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
