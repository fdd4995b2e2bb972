// The emulated binding: the host talks to an in-process board (hil/serial-board.ts) with the
// serial line's rules kept: bytes arrive later and in small pieces (a UART FIFO's worth), the
// device is exclusive (serialport locks it), and a vanished device closes the link and cannot be
// opened until it comes back.

import { SerialBoard } from '../../hil/serial-board.ts';
import type { BoardConnection } from '../../hil/serial-board.ts';
import type { ControllerBinding, ControllerLink, LinkHandlers } from './port-link.ts';

/** Bytes per delivery: a 16-byte UART FIFO. */
const FIFO = 16;

function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

export class EmulatedLine {
  readonly board: SerialBoard;
  readonly path: string;
  #present = true;
  #open: { readonly conn: BoardConnection; readonly handlers: LinkHandlers } | undefined;

  constructor(board = new SerialBoard(), path = 'emu:port-controller') {
    this.board = board;
    this.path = path;
  }

  get present(): boolean {
    return this.#present;
  }

  binding(): ControllerBinding {
    return { path: this.path, open: (handlers) => this.#connect(handlers) };
  }

  /** The device disappears (unplugged, board reset): the open link is closed under the host. */
  vanish(): void {
    this.#present = false;
    const open = this.#open;
    this.#open = undefined;
    if (!open) return;
    open.conn.detach();
    setImmediate(() => open.handlers.closed(Object.assign(new Error('device disconnected'), { disconnected: true })));
  }

  restore(): void {
    this.#present = true;
  }

  async #connect(handlers: LinkHandlers): Promise<ControllerLink> {
    if (!this.#present) throw errnoError('ENOENT', `no such file or directory, cannot open ${this.path}`);
    if (this.#open) throw errnoError('EBUSY', `${this.path} is already open`);
    const toHost = chunked((chunk) => {
      if (this.#open?.handlers === handlers) handlers.data(chunk);
    });
    const conn = this.board.attach(toHost);
    const mine = { conn, handlers };
    this.#open = mine;
    const toBoard = chunked((chunk) => {
      if (this.#open === mine) conn.receive(chunk);
    });
    return {
      write: async (text) => {
        if (this.#open !== mine) throw errnoError('EIO', `${this.path} is gone`);
        toBoard(text);
      },
      close: async () => {
        if (this.#open !== mine) return;
        this.#open = undefined;
        conn.detach();
      },
    };
  }
}

/** Deliver text later, in FIFO-sized pieces, in order. */
function chunked(deliver: (chunk: Buffer) => void): (text: string) => void {
  return (text) => {
    const bytes = Buffer.from(text, 'latin1');
    for (let i = 0; i < bytes.length; i += FIFO) {
      const piece = bytes.subarray(i, i + FIFO);
      setImmediate(() => deliver(piece));
    }
  };
}
