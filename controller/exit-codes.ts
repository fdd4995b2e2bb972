// Exit codes of imagebox commands; the README lists them.
export const EXIT = {
  /** Finished: every byte of the domain was read. */
  ok: 0,
  /** Finished, but some sectors could not be read (or were left unread by the chosen phases). */
  unreadSectors: 1,
  /** Usage or input error; nothing was written. */
  usage: 2,
  /** Interrupted (signal, --max-run-time, --max-errors); run the same command again to resume. */
  interrupted: 3,
  /** An I/O error on the destination or mapfile, or an internal error. */
  failed: 4,
} as const;

/** A refusal or input error: printed as one line, with an exit code. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
