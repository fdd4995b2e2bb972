// A port's drive opened for reading, as a pulled USB disk behaves: once the drive leaves the port
// (cable pulled, power cut) every read fails with ENXIO, and stays failed after the drive is back,
// until the caller reopens it (a real file descriptor on a vanished disk never comes back; a new
// open of the reappeared node does). A reopen after a departure opens the drive afresh: it lost
// power, so its model starts from power-on; an emu: URL with a seed gives the same bytes again.
import type { OpenedSource } from '../../controller/commands/rescue-source.ts';
import type { PathInfo } from '../../drivers/block/device-info.ts';
import { openEmulatedSource } from '../../drivers/block/emulated.ts';
import { pacedSource } from '../../drivers/block/paced.ts';
import type { BlockSource, Clock, ReadResult } from '../../drivers/block/types.ts';
import type { DriveModel } from '../drive-model.ts';

/**
 * A source over a drive model shared by every open while the drive stays attached (one drive,
 * several file descriptors: a reset by one is a reset of the drive), paced and described as
 * openRescueSource does for an emu: URL, which would give each open a drive of its own.
 */
export function openModelSource(model: DriveModel, url: string, speed: number | undefined): OpenedSource {
  const source = openEmulatedSource(model, { realTime: speed !== undefined, path: url });
  const info: PathInfo = { kind: 'file', path: url, dev: 'emulated', ino: url, size: source.size, fsDisks: [] };
  return { source: speed ? pacedSource(source, source.clock, speed) : source, clock: source.clock, info, emulated: true };
}

/** Whether the drive is on its port now, and how many times it has left it. */
export interface PortPresence {
  readonly present: boolean;
  readonly departures: number;
}

export function enxio(path: string, what: string): Error & { code: 'ENXIO' } {
  return Object.assign(new Error(`${what} ${path}: No such device or address`), { code: 'ENXIO' as const });
}

export async function openPortSource(
  path: string,
  presence: () => PortPresence,
  open: () => Promise<OpenedSource>,
): Promise<OpenedSource> {
  if (!presence().present) throw enxio(path, 'open');
  let opened = await open();
  let since = presence().departures;
  // Each fresh open has its own drive-time from zero; the caller sees one clock that never goes back.
  let offset = 0;
  const clock: Clock = { now: () => offset + opened.clock.now() };
  const gone = (): boolean => !presence().present || presence().departures !== since;
  const failed = (pos: number, len: number): ReadResult => ({
    ok: false, kind: 'error', code: 'ENXIO', message: `${path}: No such device or address at ${pos} (+${len})`,
  });
  const source: BlockSource = {
    path,
    get size() {
      return opened.source.size;
    },
    get sectorSize() {
      return opened.source.sectorSize;
    },
    get direct() {
      return opened.source.direct;
    },
    async read(pos, len, opts) {
      if (gone()) return failed(pos, len);
      const r = await opened.source.read(pos, len, opts);
      // A drive pulled mid-read loses the read in flight too.
      return gone() ? failed(pos, len) : r;
    },
    async reopen() {
      const now = presence();
      if (!now.present) throw enxio(path, 'reopen');
      if (now.departures === since) return opened.source.reopen();
      const before = clock.now();
      const next = await open();
      await opened.source.close();
      opened = next;
      since = now.departures;
      offset = before - next.clock.now();
    },
    close: () => opened.source.close(),
  };
  return { ...opened, source, clock };
}
