// The root pino logger. A job's log is appended synchronously: an async destination can lose
// the last lines on a power cut, and those are the lines that say what happened.
import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Append to this file; without it, warnings and errors go to stderr. */
  readonly file?: string;
  readonly level?: string;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const dest = opts.file
    ? pino.destination({ dest: opts.file, append: true, sync: true, mkdir: true })
    : pino.destination({ fd: 2, sync: true });
  return pino({ level: opts.level ?? (opts.file ? 'info' : 'warn'), base: { app: 'imagebox' } }, dest);
}

/** A logger that drops everything: for tests and benchmarks that check results, not logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
