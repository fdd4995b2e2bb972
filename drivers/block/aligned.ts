// Page-aligned read buffers for O_DIRECT. Buffer.alloc() memory is not aligned, and the kernel
// answers EINVAL to a direct read into it on most filesystems and real disks. A WebAssembly.Memory
// is mapped by the engine on its own pages, so offset 0 of its buffer is page-aligned. A shared one
// is backed by a SharedArrayBuffer that the read worker fills and the main thread copies out of,
// with no copy through postMessage.

/** A WebAssembly page (64 KiB): the unit a Memory grows by, itself a multiple of every sector size. */
export const WASM_PAGE = 65536;

/** The largest single read a buffer takes; larger reads are split by the caller. */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export function createReadMemory(initialBytes = 1024 * 1024): WebAssembly.Memory {
  return new WebAssembly.Memory({
    initial: pagesFor(Math.min(initialBytes, MAX_READ_BYTES)),
    maximum: MAX_READ_BYTES / WASM_PAGE,
    shared: true,
  });
}

function pagesFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / WASM_PAGE));
}

/** Grow the memory so that it holds len bytes from offset 0. Shared memory grows in place. */
export function ensureCapacity(memory: WebAssembly.Memory, len: number): void {
  if (len > MAX_READ_BYTES) throw new RangeError(`read of ${len} bytes exceeds ${MAX_READ_BYTES}`);
  const have = memory.buffer.byteLength;
  if (len > have) memory.grow(pagesFor(len) - have / WASM_PAGE);
}

/** A Buffer view of the first len bytes, page-aligned. Take a new one after ensureCapacity(). */
export function alignedView(memory: WebAssembly.Memory, len: number): Buffer {
  return Buffer.from(memory.buffer, 0, len);
}
