// Bytes from a serial line into lines. A serial line delivers bytes in whatever chunks the UART
// and the kernel choose, and noise can make a "line" endless: an over-long line is cut off and
// reported once, and everything up to the next newline is dropped with it.

import { MAX_LINE } from './serial-protocol.ts';

export type SplitItem = { readonly line: string } | { readonly overflow: string };

export class LineSplitter {
  #buf = '';
  #skipping = false;
  readonly #max: number;

  constructor(max = MAX_LINE + 1 /* room for a CR */) {
    this.#max = max;
  }

  /** Latin-1 keeps every byte one character, so garbage stays visible byte for byte. */
  push(chunk: Buffer | string): SplitItem[] {
    const out: SplitItem[] = [];
    let text = typeof chunk === 'string' ? chunk : chunk.toString('latin1');
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n')) {
      const part = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (this.#skipping) {
        this.#skipping = false;
        continue;
      }
      const line = this.#buf + part;
      this.#buf = '';
      out.push(line.length > this.#max ? { overflow: line } : { line });
    }
    if (this.#skipping) return out;
    this.#buf += text;
    if (this.#buf.length > this.#max) {
      out.push({ overflow: this.#buf });
      this.#buf = '';
      this.#skipping = true;
    }
    return out;
  }

  /** Forget a partial line (after the link was lost: its tail will never come). */
  reset(): void {
    this.#buf = '';
    this.#skipping = false;
  }
}
