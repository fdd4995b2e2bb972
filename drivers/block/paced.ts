// An emulated drive shown at a watchable speed: each read takes, in wall time, the drive-time it
// cost divided by `speedup`. The demo and the crash tests use it; the bench runs unpaced.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlockSource, Clock, ReadOptions, ReadResult } from './types.ts';

export function pacedSource(inner: BlockSource, driveClock: Clock, speedup: number): BlockSource {
  if (!(speedup > 0)) throw new RangeError('speedup must be positive');
  let owed = 0;
  return {
    get path() {
      return inner.path;
    },
    get size() {
      return inner.size;
    },
    get sectorSize() {
      return inner.sectorSize;
    },
    get direct() {
      return inner.direct;
    },
    async read(pos: number, len: number, opts?: ReadOptions): Promise<ReadResult> {
      const t0 = driveClock.now();
      const r = await inner.read(pos, len, opts);
      // Timers are coarse: owe small waits and pay them in one go.
      owed += (driveClock.now() - t0) / speedup;
      if (owed >= 4) {
        const ms = Math.floor(owed);
        owed -= ms;
        await sleep(ms);
      }
      return r;
    },
    reopen: () => inner.reopen(),
    close: () => inner.close(),
  };
}
