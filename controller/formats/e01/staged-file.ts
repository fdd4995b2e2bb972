// A segment file written front to back through a buffer, so 32 KiB chunks leave in large writes,
// with the occasional patch of bytes already passed (a sectors descriptor, once its size is known).

import type { FileHandle } from 'node:fs/promises';
import { writeAll } from '../file-io.ts';

const STAGE_BYTES = 4 << 20;

export class StagedFile {
  readonly path: string;
  #fh: FileHandle;
  #stage = Buffer.allocUnsafe(STAGE_BYTES);
  #staged = 0;
  /** File offset of the stage's first byte. */
  #stageAt = 0;

  constructor(fh: FileHandle, path: string) {
    this.#fh = fh;
    this.path = path;
  }

  /** The offset the next appended byte will have. */
  get position(): number {
    return this.#stageAt + this.#staged;
  }

  async append(data: Buffer): Promise<void> {
    if (this.#staged + data.length > STAGE_BYTES) await this.flush();
    if (data.length > STAGE_BYTES) {
      await writeAll(this.#fh, data, this.#stageAt);
      this.#stageAt += data.length;
      return;
    }
    data.copy(this.#stage, this.#staged);
    this.#staged += data.length;
  }

  /** Overwrites bytes already appended. */
  async patch(at: number, data: Buffer): Promise<void> {
    if (at + data.length > this.position) throw new RangeError(`${this.path}: patch at ${at} runs past the end written`);
    if (at >= this.#stageAt) {
      data.copy(this.#stage, at - this.#stageAt);
      return;
    }
    if (at + data.length > this.#stageAt) await this.flush();
    await writeAll(this.#fh, data, at);
  }

  async flush(): Promise<void> {
    if (this.#staged === 0) return;
    await writeAll(this.#fh, this.#stage.subarray(0, this.#staged), this.#stageAt);
    this.#stageAt += this.#staged;
    this.#staged = 0;
  }

  /** Flushes, syncs to the disk (an image is only finished once it is durable), and closes. */
  async close(): Promise<void> {
    try {
      await this.flush();
      await this.#fh.datasync();
    } finally {
      await this.#fh.close();
    }
  }

  /** Closes without flushing or syncing: for a writer that has already failed. */
  async abandon(): Promise<void> {
    await this.#fh.close().catch(() => undefined);
  }
}
