// An operator's typed answers, one line at a time, from stdin or a test's stream. Lines typed
// ahead of a question are kept for it, so a script may pipe every answer at once.

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface LinePrompt {
  /** Writes the question, then resolves with the next line (without its newline), or undefined at end of input. */
  ask(question: string): Promise<string | undefined>;
  /** Stops reading, so an open stdin does not keep the process alive. */
  close(): void;
}

export function linePrompt(input: Readable, output: Writable): LinePrompt {
  const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      output.write(`${question} `);
      const next = await lines.next();
      if (next.done) {
        // End of input leaves the cursor after the question; the refusal belongs on its own line.
        output.write('\n');
        return undefined;
      }
      return next.value;
    },
    close: () => rl.close(),
  };
}
