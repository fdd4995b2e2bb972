// The optional node-api addons that npm install builds into build/ (native/build.mjs). Each has a
// node:zlib fallback, so a missing addon, or one switched off by its environment variable (for
// tests of the fallback), is undefined rather than an error.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** build/NAME.node, unless `env` is set to 'zlib' or the addon is not there. */
export function loadAddon<T>(name: string, env: string): T | undefined {
  if (process.env[env] === 'zlib') return undefined;
  try {
    return require(`../../build/${name}.node`) as T;
  } catch {
    return undefined;
  }
}
