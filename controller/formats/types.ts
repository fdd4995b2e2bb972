// The one shape every image format has, so acquisition and verification never care which it is.

/** Takes the image's bytes in order from offset 0; nothing is written that was not handed in. */
export interface ImageWriter {
  write(chunk: Buffer): Promise<void>;
  /** Flushes, writes any trailer (seek table), closes, and names every file the image is made of. */
  close(): Promise<{ files: string[] }>;
}

export type ImageCheck =
  | { readonly ok: true; readonly offset: number; readonly length: number }
  | {
      readonly ok: false;
      readonly offset: number;
      readonly length: number;
      /** Which file, which frame or segment, and which bytes of that file, for an examiner to find it. */
      readonly where: string;
      readonly error: string;
    };

export interface ImageReader {
  /** The image's size in bytes (the acquired source's bytes, not the files' sizes). */
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws RangeError outside [0, size]. */
  read(offset: number, length: number): Promise<Buffer>;
  /**
   * Reads every stored byte once and says, area by area in image order, whether the format's own
   * integrity checks hold. Failures are yielded, not thrown, so one bad area does not hide the rest.
   */
  checks(): AsyncIterable<ImageCheck>;
  close(): Promise<void>;
}

/**
 * Sees every byte of every file a writer makes, in file order, once those bytes are final (never
 * patched afterwards): what lets an acquisition hash its files as it writes them instead of
 * reading them back. `data` may be reused once the returned promise settles.
 */
export interface FileTap {
  bytes(file: string, data: Buffer): Promise<void>;
  /** The file is complete and durable: nothing more comes for it. */
  end(file: string): Promise<void>;
}
