// Exact-length reads over a stream socket, so protocol code can be written as a sequence of awaits.
import type { Socket } from 'node:net';

/** Stop pulling from the socket beyond this much unread data (a client flooding writes or requests). */
const HIGH_WATER = 4 * 1024 * 1024;

export class SocketReader {
  readonly #socket: Socket;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #ended = false;
  #waiter: (() => void) | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
      if (this.#buffered > HIGH_WATER) socket.pause();
      this.#wake();
    });
    const end = () => {
      this.#ended = true;
      this.#wake();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  /** Exactly n bytes, or null when the peer went away first. */
  async read(n: number): Promise<Buffer | null> {
    while (this.#buffered < n) {
      if (this.#ended) return null;
      await this.#wait();
    }
    return this.#take(n);
  }

  /** Discards exactly n bytes without holding them all (a refused write's payload); false on EOF. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.#buffered === 0) {
        if (this.#ended) return false;
        await this.#wait();
        continue;
      }
      left -= this.#take(Math.min(left, this.#buffered)).length;
    }
    return true;
  }

  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    let out: Buffer;
    const first = this.#chunks[0];
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.#chunks[0];
        const k = Math.min(c.length, n - filled);
        c.copy(out, filled, 0, k);
        filled += k;
        if (k === c.length) this.#chunks.shift();
        else this.#chunks[0] = c.subarray(k);
      }
    }
    this.#buffered -= n;
    if (this.#buffered <= HIGH_WATER && this.#socket.isPaused()) this.#socket.resume();
    return out;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = null;
    w?.();
  }
}
