// npm's postinstall: builds build/isal-deflate.node, E01's fast deflate (isal-deflate.c), when a C
// compiler and ISA-L (Debian: libisal-dev) are there. Without them E01 deflates with zlib, which
// gives the same images a little smaller and slower, so a failed build is a note, not an error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'isal-deflate.node');
const headers = [join(root, 'node_modules', 'node-api-headers', 'include'), '/usr/include/node'].find((d) => existsSync(join(d, 'node_api.h')));

function skip(why) {
  console.log(`imagebox: E01's ISA-L deflate not built (${why}); E01 deflates with zlib`);
  process.exit(0);
}

if (!headers) skip('no node-api headers');
if (!existsSync('/usr/include/isa-l/igzip_lib.h')) skip('ISA-L headers missing: apt-get install libisal-dev');
mkdirSync(dirname(out), { recursive: true });
const cc = process.env.CC ?? 'cc';
const r = spawnSync(cc, ['-O2', '-shared', '-fPIC', '-I', headers, join(root, 'native', 'isal-deflate.c'), '-lisal', '-lm', '-o', out], { encoding: 'utf8' });
if (r.error || r.status !== 0) skip(`${cc} failed: ${(r.error?.message ?? r.stderr).trim().split('\n')[0]}`);
console.log(`imagebox: built ${out}`);
