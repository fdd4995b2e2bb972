// One POST of one record to the lab server, turned into an Outcome. Network trouble is an outcome,
// not an exception: only the caller's own abort (shutting down) throws.

import { outcomeOfStatus, parseRetryAfter, type Outcome } from './retry-schedule.ts';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface PostTarget {
  readonly url: string;
  readonly token?: string;
  readonly timeoutMs?: number;
}

/** The start of an error body: enough for its first line, without reading a huge page. */
const BODY_PEEK_BYTES = 4096;

async function firstLineOf(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_PEEK_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // A body cut short still has its status; the detail is only for humans.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/[\x00-\x1f\x7f]/g, ' ').trim().slice(0, 200);
}

function networkDetail(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * POSTs `body` (the record's JSON) with its id as the Idempotency-Key, so that a retry after a lost
 * acknowledgement cannot make the server store the record twice.
 */
export async function postRecord(target: PostTarget, id: string, body: string, signal: AbortSignal, now: () => number = Date.now): Promise<Outcome> {
  const timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': id };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      // Covers the whole exchange, body included: a server that accepts and never answers is cut off.
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if ((err as Error).name === 'TimeoutError') return { kind: 'retry', reason: 'timeout', detail: `no answer within ${timeoutMs} ms` };
    return { kind: 'retry', reason: 'unreachable', detail: networkDetail(err) };
  }
  if (res.ok) {
    // The status is the acknowledgement; what follows it does not matter.
    await res.body?.cancel().catch(() => {});
    return outcomeOfStatus(res.status, '');
  }
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now());
  return outcomeOfStatus(res.status, await firstLineOf(res), retryAfter);
}
