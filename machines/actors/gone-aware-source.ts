// A drive pulled mid-read answers ENXIO or ENODEV. That is not a bad sector: the read must not be
// marked failed, and the run must stop (saving its mapfile) until the same drive is back. So such
// an answer stops the rescue as an interruption, the way Ctrl-C does, before the engine marks it.
import { StopRescue } from '../../controller/rescue/rescue-io.ts';
import type { BlockSource } from '../../drivers/block/types.ts';

const GONE = new Set(['ENXIO', 'ENODEV']);

export function goneAwareSource(source: BlockSource, onGone: (code: string) => void): BlockSource {
  return {
    path: source.path,
    size: source.size,
    sectorSize: source.sectorSize,
    direct: source.direct,
    async read(pos, len, opts) {
      const r = await source.read(pos, len, opts);
      if (!r.ok && GONE.has(r.code)) {
        onGone(r.code);
        throw new StopRescue('interrupted');
      }
      return r;
    },
    reopen: () => source.reopen(),
    close: () => source.close(),
  };
}
