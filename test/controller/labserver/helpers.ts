// Shared parts of the outbox tests: a clock the test moves, a logger whose lines the test reads,
// real acquisition records as writeRecord() writes them, and a fresh outbox folder.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { unreadFromBlocks } from '../../../controller/evidence/unread.ts';
import { writeRecord } from '../../../controller/evidence/write-record.ts';
import type { Logger } from '../../../controller/logger.ts';
import { makeRecord } from '../evidence/fixture-record.ts';

export function fakeClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}

export type LogLine = Record<string, unknown> & { level: number; msg: string };

export function captureLog(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'imagebox-outbox-'));
}

/** The JSON of a real acquisition record, exactly as writeRecord() puts it on disk. */
export async function recordJson(caseNumber: string): Promise<string> {
  const dir = await tempDir();
  const record = makeRecord(unreadFromBlocks([{ pos: 4096, size: 512 }], 512), { md5: 'a'.repeat(32) }, {
    case: { caseNumber, examiner: 'A. Examiner' },
  });
  await writeRecord(dir, 'case', record);
  return readFile(join(dir, 'case.json'), 'utf8');
}

export const INFO = 30;
export const WARN = 40;
export const ERROR = 50;
