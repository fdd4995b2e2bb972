// One question to a drive, bounded: it answers, fails, or runs out of time, and only an abort
// from the caller rejects. A failing drive can hold a tool for minutes, so the caller moves on at
// the timeout and the tool is left to its own (the drivers kill their processes on their own timers).

export type StepResult<T> =
  | { readonly ok: true; readonly value: T; readonly ms: number }
  | { readonly ok: false; readonly note: string; readonly ms: number };

export interface StepOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/** Runs work; a throw or a timeout becomes a note naming `what`. Rejects only with signal's reason. */
export async function boundedStep<T>(what: string, work: () => Promise<T>, opts: StepOptions): Promise<StepResult<T>> {
  opts.signal?.throwIfAborted();
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timedOut = new Promise<StepResult<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, note: `${what} gave no answer within ${seconds(opts.timeoutMs)}`, ms: ms() }), opts.timeoutMs);
  });
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const answered = (async (): Promise<StepResult<T>> => {
    try {
      return { ok: true, value: await work(), ms: ms() };
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      return { ok: false, note: `${what} failed: ${oneLine(err)}`, ms: ms() };
    }
  })();
  try {
    return await Promise.race([answered, timedOut, aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
  }
}
