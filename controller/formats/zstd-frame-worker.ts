// One compression thread: turns a frame's bytes into one complete zstd frame with its content
// checksum, so `zstd -t` can verify every frame on its own.

import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import zlib from 'node:zlib';
import type { FrameReply, FrameRequest } from './zstd-frame-pool.ts';

const port = parentPort;
if (!port) throw new Error('zstd-frame-worker runs only as a worker thread');

// Each frame's zstd context is megabytes of native memory that only a collection of its small
// handle frees, and a heap this small is rarely collected: collect every few frames, which bounds
// that memory at a small cost (a collection after every 1 MiB frame cut the speed by half).
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;
const FRAMES_PER_COLLECTION = 16;
let frames = 0;

port.on('message', (job: FrameRequest) => {
  try {
    const frame = zlib.zstdCompressSync(new Uint8Array(job.data, job.offset, job.length), {
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
    if (++frames % FRAMES_PER_COLLECTION === 0) collect();
  } catch (e) {
    const reply: FrameReply = { id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
