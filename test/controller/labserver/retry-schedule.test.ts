import { describe, expect, it } from 'vitest';
import { delayAfter, outcomeOfStatus, parseRetryAfter, retryDelay, SCHEDULE } from '../../../controller/labserver/retry-schedule.ts';

describe('retry schedule', () => {
  it('doubles from 2 s to 10 min, each wait a random time in the upper half', () => {
    const low = (n: number) => retryDelay(n, () => 0);
    const high = (n: number) => retryDelay(n, () => 0.999999);
    expect([1, 2, 3, 4].map(low)).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map(high)).toEqual([2000, 4000, 8000, 16000]);
    expect(low(9)).toBe(256_000);
    expect(high(9)).toBe(512_000);
    for (const n of [10, 11, 50, 10_000]) {
      expect(low(n)).toBe(SCHEDULE.maxMs / 2);
      expect(high(n)).toBe(SCHEDULE.maxMs);
    }
  });

  it('waits longer when the server asks to (up to an hour), and hours after a rejection', () => {
    const half = () => 0.5;
    expect(delayAfter({ kind: 'retry', reason: 'throttled', detail: '', retryAfterMs: 120_000 }, 1, half)).toBe(120_000);
    expect(delayAfter({ kind: 'retry', reason: 'throttled', detail: '', retryAfterMs: 500 }, 3, half)).toBe(6000);
    expect(delayAfter({ kind: 'retry', reason: 'server-error', detail: '', retryAfterMs: 86_400_000 }, 1, half)).toBe(3600_000);
    expect(delayAfter({ kind: 'rejected', status: 400, detail: '' }, 1, () => 0)).toBe(0.9 * SCHEDULE.rejectedMs);
    expect(delayAfter({ kind: 'rejected', status: 400, detail: '' }, 1, half)).toBe(SCHEDULE.rejectedMs);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('acknowledged means 2xx; 408, 429 and 5xx are retried; other 4xx and 3xx are rejections', () => {
    const kind = (s: number) => {
      const o = outcomeOfStatus(s, 'why');
      return o.kind === 'retry' ? `retry:${o.reason}` : o.kind;
    };
    expect([200, 201, 202, 204, 299].map(kind)).toEqual(Array(5).fill('acked'));
    expect([408, 429, 500, 502, 503, 504].map(kind)).toEqual(['retry:timeout', 'retry:throttled', ...Array(4).fill('retry:server-error')]);
    expect([301, 302, 307, 400, 401, 403, 404, 409, 413, 422].map(kind)).toEqual(Array(10).fill('rejected'));
    expect(outcomeOfStatus(422, 'missing field case')).toEqual({ kind: 'rejected', status: 422, detail: 'HTTP 422: missing field case' });
  });
});
