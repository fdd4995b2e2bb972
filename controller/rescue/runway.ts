// The runway: until the job's first failed or slow read, the copy pass reads several clusters at
// once (options.runwaySectors). On a healthy drive that is most of the image, and fewer, larger
// reads cost the host less per byte: every read is a round trip through the reader thread, the
// hashers and the map.
// A runway read that fails marks nothing: its stretch stays non-tried, the runway ends for good,
// and the pass reads the stretch again a cluster at a time, so damage is narrowed down exactly as
// it would have been. The price is one failed read more, once per job.
import { alignDown } from './block.ts';
import type { RescueIO } from './rescue-io.ts';

/**
 * Reads a runway from `start` (not past `limit`) when the job still has one. Returns where the
 * read ended when it read, or undefined when the caller should read a cluster as usual.
 */
export async function runwayRead(io: RescueIO, start: number, limit: number): Promise<number | undefined> {
  const runway = io.runway;
  if (runway === 0) return undefined;
  // Runway reads keep to their own grid, so a resumed job reads the same blocks as an unbroken one.
  const stop = Math.min(limit, alignDown(start, runway) + runway);
  if (stop - start <= io.options.clusterSectors * io.sectorSize) return undefined;
  const verdict = await io.read(start, stop - start, '?');
  if (verdict === 'error') {
    io.endRunway(start, stop - start, 'failed');
    return undefined;
  }
  if (verdict === 'slow') io.endRunway(start, stop - start, 'slow');
  return stop;
}
