// A segment file written front to back through a page-aligned stage, so 32 KiB chunks leave in
// large O_DIRECT writes (direct-file.ts), with the occasional patch of bytes not yet written out (a
// sectors descriptor, once its size is known). The bytes from a held offset on stay in the stage
// until let go, so a patch never reaches the disk after them: what leaves the stage is final, and
// goes to the tap in file order.

import type { FileHandle } from 'node:fs/promises';
import { ALIGN, alignedBuffer, directWrites, type DirectWrites } from '../direct-file.ts';
import { writeAll } from '../file-io.ts';
import type { FileTap } from '../types.ts';

/** Stage size: twice the most a writer may hold (STAGE_HOLD_MAX), so a flush always frees room. */
const STAGE_BYTES = 8 << 20;
/** The most bytes a writer may keep held at once. */
export const STAGE_HOLD_MAX = STAGE_BYTES / 2 - ALIGN;

export class StagedFile {
  readonly path: string;
  readonly #fh: FileHandle;
  readonly #out: DirectWrites;
  readonly #tap: FileTap | undefined;
  // Two stages: one fills while the other's bytes are on their way to the disk (a direct write
  // returns only once the device has them).
  #stage = alignedBuffer(STAGE_BYTES);
  #spare = alignedBuffer(STAGE_BYTES);
  #writing: Promise<void> = Promise.resolve();
  #staged = 0;
  /** File offset of the stage's first byte. */
  #stageAt = 0;
  /** Bytes from this file offset on stay staged (a descriptor still to patch). */
  #heldFrom: number | undefined;

  private constructor(fh: FileHandle, path: string, out: DirectWrites, tap: FileTap | undefined) {
    this.#fh = fh;
    this.path = path;
    this.#out = out;
    this.#tap = tap;
  }

  static async open(fh: FileHandle, path: string, tap?: FileTap): Promise<StagedFile> {
    return new StagedFile(fh, path, await directWrites(fh, path), tap);
  }

  /** The offset the next appended byte will have. */
  get position(): number {
    return this.#stageAt + this.#staged;
  }

  /** Keeps the bytes from `at` (not yet written out) in the stage until release(). */
  hold(at: number): void {
    if (at < this.#stageAt) throw new RangeError(`${this.path}: cannot hold ${at}, already written out`);
    this.#heldFrom = at;
  }

  release(): void {
    this.#heldFrom = undefined;
  }

  async append(data: Buffer): Promise<void> {
    let at = 0;
    while (at < data.length) {
      if (this.#staged === STAGE_BYTES) await this.#writeOut();
      const n = Math.min(STAGE_BYTES - this.#staged, data.length - at);
      data.copy(this.#stage, this.#staged, at, at + n);
      this.#staged += n;
      at += n;
    }
  }

  /** Overwrites bytes still in the stage (held ones, for a descriptor). */
  patch(at: number, data: Buffer): void {
    if (at < this.#stageAt || at + data.length > this.position) {
      throw new RangeError(`${this.path}: patch at ${at} is outside the staged bytes ${this.#stageAt}-${this.position}`);
    }
    data.copy(this.#stage, at - this.#stageAt);
  }

  /** Sends the whole aligned part before the held bytes on its way; the rest goes to the other stage. */
  async #writeOut(): Promise<void> {
    const keepFrom = (this.#heldFrom ?? this.position) - this.#stageAt;
    const whole = keepFrom - (keepFrom % ALIGN);
    if (whole === 0) throw new Error(`${this.path}: ${this.#staged} bytes staged and held, nothing can be written out`);
    const out = this.#stage.subarray(0, whole);
    const at = this.#stageAt;
    if (this.#tap) await this.#tap.bytes(this.path, out);
    await this.#writing;
    this.#stage.copy(this.#spare, 0, whole, this.#staged);
    [this.#stage, this.#spare] = [this.#spare, this.#stage];
    this.#staged -= whole;
    this.#stageAt += whole;
    this.#writing = this.#out.put(out, at);
    // Taken by the next write-out or by close(); until then a failure is not "unhandled".
    this.#writing.catch(() => undefined);
  }

  /** Writes everything (the unaligned tail with an ordinary write), syncs to the disk, and closes. */
  async close(): Promise<void> {
    try {
      if (this.#heldFrom !== undefined) throw new Error(`${this.path}: closed with bytes still held`);
      await this.#writing;
      const whole = this.#staged - (this.#staged % ALIGN);
      if (this.#tap && this.#staged > 0) await this.#tap.bytes(this.path, this.#stage.subarray(0, this.#staged));
      if (whole > 0) await this.#out.put(this.#stage.subarray(0, whole), this.#stageAt);
      if (whole < this.#staged) await writeAll(this.#fh, this.#stage.subarray(whole, this.#staged), this.#stageAt + whole);
      this.#stageAt += this.#staged;
      this.#staged = 0;
      await this.#fh.datasync();
      await this.#tap?.end(this.path);
    } finally {
      await this.#out.close();
      await this.#fh.close();
    }
  }

  /** Closes without writing what is staged or syncing: for a writer that has already failed. */
  async abandon(): Promise<void> {
    await this.#writing.catch(() => undefined);
    await this.#out.close();
    await this.#fh.close().catch(() => undefined);
  }
}
