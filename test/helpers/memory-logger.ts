// A pino logger whose lines the test can read back (levels by name).

import { pino } from 'pino';
import type { Logger } from '../../controller/logger.ts';

export type LogLine = Record<string, unknown> & { level: number; msg: string };

const LEVELS: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50 };

export function memoryLogger(): { log: Logger; lines: LogLine[]; at(level: string): LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines, at: (level) => lines.filter((l) => l.level === LEVELS[level]) };
}
