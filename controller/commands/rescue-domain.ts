// The rescue domain from the command line: -i/-s as one range, -m as the finished blocks of a mapfile.
import type { Block } from '../rescue/block.ts';
import { end, intersect } from '../rescue/block.ts';
import { Domain } from '../rescue/domain.ts';
import { loadMapfile } from '../rescue/mapfile-save.ts';
import { UserError } from '../exit-codes.ts';
import type { RescueSettings } from './rescue-args.ts';

export async function buildDomain(s: RescueSettings, size: number, sectorSize: number): Promise<Domain> {
  const pos = s.inputPosition;
  const stop = s.inputSize === undefined ? size : Math.min(size, pos + s.inputSize);
  if (pos % sectorSize !== 0 || (stop !== size && stop % sectorSize !== 0)) {
    throw new UserError(`--input-position and --size must be multiples of the ${sectorSize}-byte sector`);
  }
  if (pos >= size) throw new UserError(`--input-position ${pos} is past the end of the source (${size} bytes)`);
  const range: Block = { pos, size: stop - pos };
  if (!s.domainMapfile) return new Domain([range]);
  const { map } = await loadMapfile(s.domainMapfile, size);
  const blocks: Block[] = [];
  for (const a of map.areas(0)) {
    if (a.status !== '+') continue;
    const part = intersect(a, range);
    if (part) blocks.push(part);
    if (end(a) >= stop) break;
  }
  return new Domain(blocks);
}
