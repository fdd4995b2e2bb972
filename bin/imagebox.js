#!/usr/bin/env node
// The `imagebox` launcher. imagebox is TypeScript run by Node 24's type stripping; the project
// depends on the npm `node` package for that Node, so a machine whose own node is older
// (Debian bookworm ships 20) still runs it: this file, plain JavaScript, hands over to Node 24.
import { spawn } from 'node:child_process';
import module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../controller/cli.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

// Node's compile cache keeps the type-stripped, compiled modules on disk: each start, and each
// worker thread (hashers, compressors, the read worker), then skips loading the TypeScript
// stripper, about 10 MiB of memory and tens of milliseconds per thread. Worker threads take the
// setting from the environment, and so does the Node 24 child below.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'imagebox-compile-cache');

if (major >= 24) {
  module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
  await import(cli);
} else {
  const node = createRequire(import.meta.url).resolve('node/bin/node');
  const child = spawn(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  // The child gets terminal signals itself; forward the ones sent to this process alone.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
