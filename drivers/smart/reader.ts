// The read path both bindings share: the smartctl arguments, the timeout, the check that the
// device still exists, and the parse. A binding only supplies a runner that produces smartctl's
// stdout and exit code (by spawning it, or from a recording).

import { isAbsolute } from 'node:path';
import type { Logger } from '../../controller/logger.ts';
import { parseSmartctl, type SmartctlRun } from './parse.ts';
import type { SmartBinding, SmartReadOptions, SmartReport } from './types.ts';

export interface SmartctlRunner {
  /** Run smartctl with these arguments; stop it when signal fires (resolve or reject, either is fine). */
  run(args: readonly string[], signal: AbortSignal): Promise<SmartctlRun>;
  /** Whether the path exists now (a missing path turns smartctl's vaguer complaints into "device gone"). */
  exists(path: string): Promise<boolean>;
  /** smartctl runs as root. */
  readonly privileged: boolean;
}

/**
 * A failing drive can keep smartctl waiting on command after command; past this, give up and say so.
 * `-x` on a healthy SATA drive takes well under a second; behind a slow USB bridge a few seconds.
 */
export const DEFAULT_SMARTCTL_TIMEOUT_MS = 60_000;

/** `-x` reads everything (identity, attributes, logs) and writes nothing; `--json=c` keeps it to one line. */
export function smartctlArgs(device: string, opts: SmartReadOptions = {}): string[] {
  return ['--json=c', '-x', ...(opts.deviceType ? ['-d', opts.deviceType] : []), device];
}

export interface ReaderOptions {
  readonly timeoutMs?: number;
  readonly log?: Logger;
}

class Timeout extends Error {}

export function smartBinding(runner: SmartctlRunner, ro: ReaderOptions = {}): SmartBinding {
  const timeoutMs = ro.timeoutMs ?? DEFAULT_SMARTCTL_TIMEOUT_MS;
  const log = ro.log?.child({ component: 'smart' });

  return {
    async read(device: string, opts: SmartReadOptions = {}): Promise<SmartReport> {
      opts.signal?.throwIfAborted();
      // The device goes last on smartctl's command line; a relative path or one starting with '-'
      // would be read as something else.
      if (!isAbsolute(device) || device.includes('\0')) {
        return { available: false, device, reason: 'failed', note: `not an absolute device path: ${JSON.stringify(device)}` };
      }
      const args = smartctlArgs(device, opts);
      const stop = new AbortController();
      let rejectAborted: (e: unknown) => void = () => {};
      const aborted = new Promise<never>((_, reject) => {
        rejectAborted = reject;
      });
      const onAbort = (): void => {
        stop.abort(opts.signal?.reason);
        rejectAborted(opts.signal?.reason);
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Timeout()), timeoutMs);
      });
      const started = performance.now();
      let run: SmartctlRun;
      try {
        // A smartctl stuck in the kernel on a dying drive cannot be killed until the command ends,
        // so the read does not wait for it: the timeout answers, and the runner is told to stop.
        run = await Promise.race([runner.run(args, stop.signal), timedOut, aborted]);
      } catch (e) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        stop.abort(new Error('smartctl given up on'));
        run =
          e instanceof Timeout
            ? { stdout: '', stderr: '', exitCode: null, timedOutAfterMs: timeoutMs }
            : { stdout: '', stderr: '', exitCode: null, spawnError: { code: 'ERUN', message: String(e) } };
      } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      }
      // A hung smartctl leaves the drive's state unknown; a stat is cheap and cannot hang on it.
      const deviceExists = await runner.exists(device);
      const report = parseSmartctl(run, { device, deviceExists, privileged: runner.privileged });
      const ms = Math.round(performance.now() - started);
      if (report.available) {
        log?.info({ drive: device, args, ms, exit: report.exitStatus.raw, verdict: report.verdict.level, kind: report.kind }, 'smart read');
      } else {
        log?.warn({ drive: device, args, ms, reason: report.reason, note: report.note }, 'smart unavailable');
      }
      return report;
    },
  };
}
