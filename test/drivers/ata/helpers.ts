// Recorded hdparm outputs (test/fixtures/ata) as binding results, and an audit log the tests read.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import type { Logger } from 'pino';
import type { ToolRan } from '../../../drivers/ata/types.ts';

const DIR = new URL('../../fixtures/ata/', import.meta.url);

export function fixture(name: string): string {
  return readFileSync(new URL(name, DIR), 'utf8');
}

/** A recorded output as hdparm's result (pasted outputs mix stdout and stderr; both are read). */
export function ran(stdout: string, opts: { stderr?: string; code?: number; command?: string } = {}): ToolRan {
  return { kind: 'ran', command: opts.command ?? 'hdparm', code: opts.code ?? 0, stdout, stderr: opts.stderr ?? '' };
}

interface LoopRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** What hdparm 9.65 printed for each command on a loop device here. */
export function loopRecording(): { device: string; runs: Record<string, LoopRun> } {
  return JSON.parse(fixture('loop-device-hdparm-9.65.json'));
}

export interface AuditCapture {
  readonly log: Logger;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
}

/** A synchronous pino file logger, as the real audit log is, read back by the test (call inside a test). */
export function auditCapture(): AuditCapture {
  const dir = mkdtempSync(join(tmpdir(), 'ata-audit-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'audit.log');
  const log = pino({ level: 'info' }, pino.destination({ dest: file, sync: true }));
  return {
    log,
    lines: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
