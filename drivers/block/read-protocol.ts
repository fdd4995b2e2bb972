// Messages between a read worker (read-worker.ts) and the thread that owns it (read-session.ts).

export interface ReadWorkerData {
  readonly path: string;
  /** Ask for O_DIRECT. */
  readonly direct: boolean;
  /** Open without O_DIRECT when the filesystem refuses it (regular files only). */
  readonly allowBuffered: boolean;
  /** The worker's own buffer: shared, page-aligned, never handed to another worker. */
  readonly memory: WebAssembly.Memory;
}

/** First message from a worker: its fd is open (and how), or the open failed. */
export type OpenReply =
  | { readonly type: 'open'; readonly ok: true; readonly fd: number; readonly direct: boolean }
  | { readonly type: 'open'; readonly ok: false; readonly code: string; readonly message: string };

/**
 * `need` <= len: the bytes that must arrive; the rest of len may lie past the end of a file.
 * `slot`, when present, is the page-aligned shared memory to read into instead of the worker's own.
 */
export type ReadRequest = {
  readonly type: 'read';
  readonly id: number;
  readonly pos: number;
  readonly len: number;
  readonly need: number;
  readonly slot?: SharedArrayBuffer;
};
export type CloseRequest = { readonly type: 'close' };
export type WorkerRequest = ReadRequest | CloseRequest;

/** On success the bytes are at offset 0 of the request's slot, or else of the worker's memory. */
export type ReadReply =
  | { readonly type: 'read'; readonly id: number; readonly ok: true; readonly ms: number }
  | { readonly type: 'read'; readonly id: number; readonly ok: false; readonly code: string; readonly message: string };

export type WorkerReply = OpenReply | ReadReply;
