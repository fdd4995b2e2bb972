// Lent read buffers. A read worker can read straight into a slot of shared memory whose Buffer the
// source hands to the caller without copying it out. The slot goes back to the source only once
// every holder has let go: the reader's own hold (released by whoever took the read's result) and
// any taken with retain() by a consumer that keeps the bytes past its own return (a hasher or a
// compressor working on another thread). A caller that knows nothing of leases simply never
// releases: its buffer stays valid for good, and the source reads into fresh slots instead.
// Holders find the lease from any view of the slot's memory, so subarrays and Buffer.from() views
// work too.

interface Lease {
  refs: number;
  readonly free: () => void;
}

const leases = new WeakMap<ArrayBufferLike, Lease>();

/** Marks `memory` as lent with one hold; `free` runs when the last hold is released. */
export function lend(memory: SharedArrayBuffer, free: () => void): void {
  leases.set(memory, { refs: 1, free });
}

/** Whether `view` lies in lent memory that is still held. */
export function isLent(view: ArrayBufferView): boolean {
  return (leases.get(view.buffer)?.refs ?? 0) > 0;
}

/** Takes one more hold on the memory under `view`; false (and nothing held) when it is not lent. */
export function retain(view: ArrayBufferView): boolean {
  const l = leases.get(view.buffer);
  if (!l || l.refs <= 0) return false;
  l.refs++;
  return true;
}

/** Lets go of one hold; the memory returns to its source with the last. Not lent: nothing happens. */
export function release(view: ArrayBufferView): void {
  const l = leases.get(view.buffer);
  if (!l || l.refs <= 0) return;
  if (--l.refs === 0) {
    leases.delete(view.buffer);
    l.free();
  }
}
