// Whether an acquisition may write to OUTPUT: never over the source or an existing image, never
// beside a finished one, and resumed only from its own mapfile. `imagebox image` and the
// appliance's forensic jobs ask the same question.
import type { PathInfo } from '../../drivers/block/device-info.ts';
import { describePath } from '../../drivers/block/device-info.ts';
import { exists } from '../jobs/rescue-mapfile.ts';
import { checkDestination, checkMapfile } from '../rescue/destination-check.ts';
import type { ImageNames } from './image-format.ts';
import { containerFilesPresent, resumeRefusal } from './partial-image.ts';

/** The reason OUTPUT is refused, or undefined. */
export async function imageOutputRefusal(names: ImageNames, source: PathInfo): Promise<string | undefined> {
  const [first, mapInfo, workInfo] = await Promise.all([describePath(names.first), describePath(names.mapfile), describePath(names.work)]);
  if (first.kind === 'block') return `${names.first} is a block device; an image goes to a file (to clone drive to drive, use imagebox rescue)`;
  const mapfileExists = await exists(names.mapfile);
  for (const [dest, what] of [[first, 'image'], [workInfo, 'working file']] as const) {
    const c = checkDestination({ source, dest, mapfileExists, force: false });
    if (!c.ok) return what === 'image' ? c.reason : `${what}: ${c.reason}`;
  }
  const mc = checkMapfile({ source, dest: first, mapfile: mapInfo });
  if (!mc.ok) return mc.reason;
  if (mapfileExists) return resumeRefusal(names);
  if ((await containerFilesPresent(names)).length > 0) return `${names.first} (or a segment of it) already exists; an image is never written over`;
  return undefined;
}
