// npm's postinstall: builds the optional node-api addons into build/, each where a C compiler and
// its library's headers are there. Without one, its format falls back to node:zlib, which gives
// valid images more slowly, so a failed build is a note, not an error.
// - isal-deflate.node: E01's fast deflate, Adler-32 and entropy estimate (ISA-L; libisal-dev).
// - zstd-frame.node: seekable zstd's frames with a context kept per thread (libzstd-dev).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const headers = [join(root, 'node_modules', 'node-api-headers', 'include'), '/usr/include/node'].find((d) => existsSync(join(d, 'node_api.h')));
const cc = process.env.CC ?? 'cc';

const addons = [
  { name: 'isal-deflate', what: "E01's ISA-L deflate", header: '/usr/include/isa-l/igzip_lib.h', pkg: 'libisal-dev', libs: ['-lisal', '-lm'], fallback: 'E01 deflates with zlib' },
  { name: 'zstd-frame', what: "the zstd image's frame compressor", header: '/usr/include/zstd.h', pkg: 'libzstd-dev', libs: ['-lzstd'], fallback: 'zst images use node:zlib' },
];

function build({ name, what, header, pkg, libs, fallback }) {
  const skip = (why) => console.log(`imagebox: ${what} not built (${why}); ${fallback}`);
  if (!headers) return skip('no node-api headers');
  if (!existsSync(header)) return skip(`${header} missing: apt-get install ${pkg}`);
  const out = join(root, 'build', `${name}.node`);
  mkdirSync(dirname(out), { recursive: true });
  const r = spawnSync(cc, ['-O2', '-shared', '-fPIC', '-I', headers, join(root, 'native', `${name}.c`), ...libs, '-o', out], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return skip(`${cc} failed: ${(r.error?.message ?? r.stderr).trim().split('\n')[0]}`);
  console.log(`imagebox: built ${out}`);
}

for (const addon of addons) build(addon);
