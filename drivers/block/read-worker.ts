// A read worker: one thread, one read-only fd, one buffer. Device reads run here with blocking
// readSync so that a read hung in the kernel holds only this thread, never libuv's pool (which the
// image, mapfile and log writes use). The owner abandons a hung worker and starts a new one.

import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { alignedView } from './aligned.ts';
import type { OpenReply, ReadReply, ReadWorkerData, WorkerRequest } from './read-protocol.ts';

const data = workerData as ReadWorkerData;
const port = parentPort;
if (port === null) throw new Error('read-worker.ts runs only as a worker thread');

function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function openFd(): OpenReply {
  const { O_RDONLY, O_DIRECT } = fs.constants;
  try {
    if (data.direct) {
      try {
        return { type: 'open', ok: true, fd: fs.openSync(data.path, O_RDONLY | O_DIRECT), direct: true };
      } catch (e) {
        // tmpfs and some FUSE filesystems refuse O_DIRECT at open with EINVAL.
        if (!(data.allowBuffered && errorCode(e) === 'EINVAL')) throw e;
      }
    }
    return { type: 'open', ok: true, fd: fs.openSync(data.path, O_RDONLY), direct: false };
  } catch (e) {
    return { type: 'open', ok: false, code: errorCode(e), message: errorMessage(e) };
  }
}

/** Read exactly len bytes at pos into the memory, continuing after partial reads; any failure fails the whole read. */
function readExact(fd: number, id: number, pos: number, len: number, need: number, slot: SharedArrayBuffer | undefined): ReadReply {
  const buf = slot ? Buffer.from(slot, 0, len) : alignedView(data.memory, len);
  const t0 = performance.now();
  let done = 0;
  try {
    while (done < len) {
      const n = fs.readSync(fd, buf, done, len - done, pos + done);
      if (n === 0 && done >= need) return { type: 'read', id, ok: true, ms: performance.now() - t0 };
      if (n === 0) {
        return {
          type: 'read',
          id,
          ok: false,
          code: 'ESHORT',
          message: `short read: ${done} of ${len} bytes at ${pos}, then end of data at ${pos + done}`,
        };
      }
      done += n;
    }
    return { type: 'read', id, ok: true, ms: performance.now() - t0 };
  } catch (e) {
    return { type: 'read', id, ok: false, code: errorCode(e), message: errorMessage(e) };
  }
}

const opened = openFd();
port.postMessage(opened);
if (opened.ok) {
  const fd = opened.fd;
  port.on('message', (req: WorkerRequest) => {
    if (req.type === 'close') {
      fs.closeSync(fd);
      port.close();
      return;
    }
    port.postMessage(readExact(fd, req.id, req.pos, req.len, req.need, req.slot));
  });
} else {
  port.close();
}
