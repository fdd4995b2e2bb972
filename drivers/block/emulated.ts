// The in-process binding over an emulated drive (hil/): the same BlockSource the engine gets for
// a real device, with the real device's rules (sector alignment, whole-read failure, hangs that
// end in a timeout and a reopen), but answering in drive-time instead of wall time.

import { setTimeout as sleep } from 'node:timers/promises';
import { DriveModel } from '../../hil/drive-model.ts';
import { formatEmuUrl, parseEmuUrl } from '../../hil/emu-url.ts';
import type { DriveBackend, DriveReadOutcome } from '../../hil/types.ts';
import { checkReadRange } from './read-range.ts';
import type { BlockSource, Clock, ReadOptions, ReadResult } from './types.ts';

/**
 * A backend that can also take the caller's timeout, so that a read given up on is charged
 * only the time waited (hil/drive-model.ts does). Plain backends ignore the extra argument.
 */
interface TimeoutAwareBackend extends DriveBackend {
  read(pos: number, len: number, timeoutMs?: number): DriveReadOutcome & { readonly timedOut?: boolean };
}

export interface EmulatedSourceOptions {
  /** Hold every hung answer back for min(hangMs, timeoutMs) of wall time, as a real device would. */
  readonly realTime?: boolean;
  readonly path?: string;
}

export type EmulatedSource = BlockSource & {
  /** The drive's clock (drive-time), or wall time when the backend has none. */
  readonly clock: Clock;
  /** How many times the source was reopened, by the caller or after a timeout. */
  readonly reopens: number;
};

export function openEmulatedSource(
  model: DriveBackend & { readonly clock?: Clock },
  opts: EmulatedSourceOptions = {},
): EmulatedSource {
  const backend = model as TimeoutAwareBackend;
  const path = opts.path ?? 'emu:';
  let closed = false;
  let reopens = 0;



  // The host's reopen is the only reset an emulated drive gets: it also wakes a drive that stopped answering.
  const reset = (): void => {
    reopens++;
    model.reset();
  };

  const source: EmulatedSource = {
    path,
    size: model.size,
    sectorSize: model.sectorSize,
    direct: true,
    clock: model.clock ?? { now: () => performance.now() },
    get reopens() {
      return reopens;
    },

    async read(pos: number, len: number, ro: ReadOptions = {}): Promise<ReadResult> {
      if (closed) throw new Error(`${path}: read after close`);
      checkReadRange(path, pos, len, model.sectorSize, model.size);
      const timeoutMs = ro.timeoutMs;
      const outcome = backend.read(pos, len, timeoutMs);
      const timedOut = outcome.timedOut ?? (timeoutMs !== undefined && outcome.hangMs > timeoutMs);
      if (opts.realTime && outcome.hangMs > 0) {
        await sleep(timeoutMs === undefined ? outcome.hangMs : Math.min(outcome.hangMs, timeoutMs));
      }
      if (closed) throw new Error(`${path}: closed during a read`);
      if (timedOut) {
        reset();
        return {
          ok: false,
          kind: 'timeout',
          code: 'ETIMEDOUT',
          message: `${path}: no answer within ${timeoutMs} ms at ${pos} (+${len}); reopened`,
        };
      }
      if (!outcome.ok || !outcome.data) {
        return { ok: false, kind: 'error', code: 'EIO', message: `${path}: read error at ${pos} (+${len})` };
      }
      return { ok: true, data: outcome.data };
    },

    async reopen(): Promise<void> {
      if (closed) throw new Error(`${path}: reopen after close`);
      reset();
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
  return source;
}

/** Opens `emu:PATTERN?seed=..&size=..&sector=..` (hil/emu-url.ts) as a source, with its drive model. */
export function openEmulatedDrive(url: string, opts: Omit<EmulatedSourceOptions, 'path'> = {}): { source: EmulatedSource; model: DriveModel } {
  const spec = parseEmuUrl(url);
  const model = new DriveModel(spec);
  return { source: openEmulatedSource(model, { ...opts, path: formatEmuUrl(spec) }), model };
}
