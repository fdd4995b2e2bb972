// The destination of an acquisition. While the rescue engine writes in order from the start (a
// healthy drive, read front to back), each write goes straight into the image container and the
// hashers: one pass, nothing staged. The first write that is not contiguous (a skip after a read
// error, a trim or a scrape) ends the stream: from then on every write goes to a sparse working
// file at its own offset, and finish() streams the rest of the image from there once the rescue is
// over. Unread sectors are holes in the working file, so the image holds zeros for them.

import { release, retain } from '../../drivers/block/lease.ts';
import type { BlockSink } from '../../drivers/block/types.ts';

export interface StreamTarget {
  /** Takes the image's next bytes, in order; resolves once the caller may reuse `data`. */
  write(data: Buffer): Promise<void>;
}

export interface StreamSinkOptions {
  readonly path: string;
  readonly target: StreamTarget;
  /** Opens the working file the first time a write falls out of order. */
  readonly openWork: () => Promise<BlockSink>;
  /** Where the stream starts: bytes before it are already in the target (default 0). */
  readonly streamedTo?: number;
}

/** Bytes handed to the target but not yet taken by it: lets the next read overlap this write. */
const MAX_IN_FLIGHT = 8 << 20;

export class StreamSink implements BlockSink {
  readonly path: string;
  readonly capacity = undefined;
  readonly #target: StreamTarget;
  readonly #openWork: () => Promise<BlockSink>;
  #work: BlockSink | undefined;
  #opening: Promise<BlockSink> | undefined;
  #streamedTo: number;
  #diverged = false;
  #inFlight: { done: Promise<void>; bytes: number }[] = [];
  #inFlightBytes = 0;

  constructor(opts: StreamSinkOptions) {
    this.path = opts.path;
    this.#target = opts.target;
    this.#openWork = opts.openWork;
    this.#streamedTo = opts.streamedTo ?? 0;
  }

  /** Bytes [0, streamedTo) went into the target; everything after lives in the working file. */
  get streamedTo(): number {
    return this.#streamedTo;
  }

  get diverged(): boolean {
    return this.#diverged;
  }

  async write(pos: number, data: Buffer): Promise<void> {
    if (!this.#diverged && pos === this.#streamedTo) {
      // The source hands over a buffer of its own, so the target may take it after we return; a lent
      // one is held until the target has it.
      const held = retain(data);
      const prev = this.#inFlight.at(-1)?.done ?? Promise.resolve();
      const done = prev.then(() => this.#target.write(data));
      if (held) void done.finally(() => release(data)).catch(() => undefined);
      done.catch(() => undefined);
      this.#inFlight.push({ done, bytes: data.length });
      this.#inFlightBytes += data.length;
      this.#streamedTo += data.length;
      while (this.#inFlightBytes > MAX_IN_FLIGHT) await this.#settleOldest();
      return;
    }
    this.#diverged = true;
    await this.drain();
    const work = await this.work();
    await work.write(pos, data);
  }

  /** Waits until the target has taken every byte handed over; rethrows its failure. */
  async drain(): Promise<void> {
    while (this.#inFlight.length) await this.#settleOldest();
  }

  async #settleOldest(): Promise<void> {
    const oldest = this.#inFlight[0];
    try {
      await oldest.done;
    } finally {
      this.#inFlight.shift();
      this.#inFlightBytes -= oldest.bytes;
    }
  }

  /** The working file, opened on first need (also by a resume that starts diverged). */
  work(): Promise<BlockSink> {
    if (this.#work) return Promise.resolve(this.#work);
    this.#opening ??= this.#openWork().then((w) => (this.#work = w));
    return this.#opening;
  }

  /** Marks the stream as ended, so that every later write goes to the working file. */
  diverge(): void {
    this.#diverged = true;
  }

  async sync(): Promise<void> {
    await this.drain();
    // The target's bytes are not made durable here: an interrupted acquisition re-reads the
    // streamed part (see acquire.ts), so only the working file must survive a power cut.
    await this.#work?.sync();
  }

  async close(): Promise<void> {
    await this.drain().catch(() => undefined);
    await this.#work?.close();
  }
}
