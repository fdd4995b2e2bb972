// Every test file writes into one folder made for this run (TMPDIR, which os.tmpdir() and the
// tools the tests start honour), removed when the run ends. Left in /tmp, a run's images, mapfiles
// and emulated drives came to several GiB, and on a machine that keeps its disk they filled it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Mount points under `dir` (a FUSE drive a failed test left mounted): rm -r must not go into them. */
function mountsUnder(dir: string): string[] {
  const lines = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  return lines.map((l) => l.split(' ')[4]).filter((m) => m !== undefined && (m === dir || m.startsWith(`${dir}/`)));
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'imagebox-vitest-'));
  process.env.TMPDIR = dir;
  return () => {
    const mounted = mountsUnder(dir);
    if (mounted.length > 0) {
      console.warn(`left ${dir} in place: ${mounted.join(', ')} still mounted`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
