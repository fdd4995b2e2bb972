// What the two acts that change a drive share: the job guard, and refusals and failures that
// always reach the audit log before the caller hears of them.

import type { Logger } from 'pino';
import type { JobGuard } from './types.ts';

export interface ActOptions {
  /** The acquisition this drive belongs to; the acts refuse once it has started. */
  readonly job: JobGuard;
  /** The machine-wide audit log (controller/audit-log.ts auditLog()). */
  readonly audit: Logger;
}

/** The fields every audit line of an act carries. */
export interface ActFields {
  readonly act: 'hpa-unlock-volatile' | 'dco-restore-request' | 'dco-restore';
  readonly drive: string;
  readonly job?: string;
  readonly operator?: string;
}

export type Refused = { readonly ok: false; readonly outcome: 'refused'; readonly note: string };
export type Failed = { readonly ok: false; readonly outcome: 'failed'; readonly note: string };

export function refuse(audit: Logger, fields: ActFields, note: string, extra: object = {}): Refused {
  audit.warn({ ...fields, ...extra, refused: true, reason: note }, `refused: ${fields.act} on ${fields.drive}`);
  return { ok: false, outcome: 'refused', note };
}

export function fail(audit: Logger, fields: ActFields, note: string, extra: object = {}): Failed {
  audit.error({ ...fields, ...extra, failed: true, reason: note }, `failed: ${fields.act} on ${fields.drive}`);
  return { ok: false, outcome: 'failed', note };
}

/** Why the job forbids the act, or undefined when it may go ahead. */
export function jobForbids(job: JobGuard, what: string): string | undefined {
  if (!job.started) return undefined;
  return `${what} refused: job ${job.jobId ?? '(unnamed)'} has started reading this drive; changing its size under a running acquisition would make the image inconsistent (do it before the job starts)`;
}
