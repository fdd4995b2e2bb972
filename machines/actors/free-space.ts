// Free space for a destination that may not exist yet (the wizard proposes a folder before it is
// made): statfs of the nearest existing parent, in the bytes an unprivileged writer may use.
import { statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function statfsFree(path: string): Promise<number> {
  let at = resolve(path);
  for (;;) {
    try {
      const s = await statfs(at);
      return s.bavail * s.bsize;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const up = dirname(at);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || up === at) throw err;
      at = up;
    }
  }
}
