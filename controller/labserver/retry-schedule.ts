// What an attempt's outcome means and when to try again. Pure: the deliverer supplies the time and
// the random numbers, so tests can replay any schedule.

export type RetryReason = 'server-error' | 'throttled' | 'timeout' | 'unreachable';

/** The result of one POST of one record. */
export type Outcome =
  | { readonly kind: 'acked'; readonly status: number }
  | { readonly kind: 'retry'; readonly reason: RetryReason; readonly status?: number; readonly detail: string; readonly retryAfterMs?: number }
  | { readonly kind: 'rejected'; readonly status: number; readonly detail: string };

export const SCHEDULE = {
  /** The first retry waits up to this long; each later one twice as long as the one before... */
  firstMs: 2_000,
  /** ...up to this. */
  maxMs: 10 * 60_000,
  /**
   * A record the server rejected (a 4xx) is tried again this rarely: the server's owners may fix
   * their side without telling us, and a human can ask for an immediate retry (`retryNow`).
   */
  rejectedMs: 6 * 3600_000,
  /** A server's Retry-After is honoured up to this. */
  maxRetryAfterMs: 3600_000,
} as const;

/**
 * The wait after the `attempts`-th failed attempt (1-based): a random time between half and all of
 * min(firstMs * 2^(attempts-1), maxMs). The randomness keeps appliances that lost the server at the
 * same moment from coming back in step; the lower half-bound keeps a retry from coming too soon.
 */
export function retryDelay(attempts: number, random: () => number): number {
  const exp = Math.min(Math.max(attempts, 1) - 1, 30);
  const ceiling = Math.min(SCHEDULE.firstMs * 2 ** exp, SCHEDULE.maxMs);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long to wait after an attempt that ended with `outcome`, the `attempts`-th for this record. */
export function delayAfter(outcome: Outcome, attempts: number, random: () => number): number {
  if (outcome.kind === 'acked') return 0;
  if (outcome.kind === 'rejected') return Math.round(SCHEDULE.rejectedMs * (0.9 + random() * 0.2));
  const backoff = retryDelay(attempts, random);
  return Math.max(backoff, Math.min(outcome.retryAfterMs ?? 0, SCHEDULE.maxRetryAfterMs));
}

/** Retry-After: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The rule for an HTTP answer. Only a 2xx acknowledges. 408, 429 and 5xx are the server's trouble,
 * retried on the schedule. A redirect is not followed (a POST turned into a GET by a 301/302 could
 * be answered 200 without anything stored): like any other 4xx it is a rejection a human must look at.
 */
export function outcomeOfStatus(status: number, firstLine: string, retryAfterMs?: number): Outcome {
  if (status >= 200 && status <= 299) return { kind: 'acked', status };
  const detail = firstLine ? `HTTP ${status}: ${firstLine}` : `HTTP ${status}`;
  if (status === 408) return { kind: 'retry', reason: 'timeout', status, detail };
  if (status === 429) return { kind: 'retry', reason: 'throttled', status, detail, retryAfterMs };
  if (status >= 300 && status <= 499) return { kind: 'rejected', status, detail };
  return { kind: 'retry', reason: 'server-error', status, detail, retryAfterMs };
}
