// The appliance's settings: one JSON file, `$IMAGEBOX_CONFIG`, else `<stateDir>/config.json`.
// No file at the default place means "all defaults"; a file that is there must be right, and a
// mistake is one line naming the file and the field, so that a typo never silently turns a
// setting off (an unknown key is a mistake too).
//
// A new setting joins by adding its field to Config and a reader to READERS.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { stateDir } from './audit-log.ts';
import { isCode } from './durable-file.ts';

export interface LabServerConfig {
  /** Where finished acquisition records are POSTed (http: or https:). */
  readonly url: string;
  /** Sent as `Authorization: Bearer TOKEN`. */
  readonly token?: string;
  /** Per-request timeout, ms. */
  readonly timeoutMs?: number;
}

export interface Config {
  readonly labServer?: LabServerConfig;
  /** Where the front panel proposes new jobs' images (imagesDirOf: default ~/imagebox-images). */
  readonly imagesDir?: string;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, problem: string) {
    super(`config ${file}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'ConfigError';
    this.file = file;
    this.field = field;
  }
}

type Obj = Record<string, unknown>;
type Fail = (field: string, problem: string) => never;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function objectWith(v: unknown, field: string, known: readonly string[], fail: Fail): Obj {
  if (!isObject(v)) fail(field, 'must be an object');
  const o = v as Obj;
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) fail(field ? `${field}.${key}` : key, `unknown setting (known: ${known.join(', ')})`);
  }
  return o;
}

function readLabServer(v: unknown, fail: Fail): LabServerConfig {
  const o = objectWith(v, 'labServer', ['url', 'token', 'timeoutMs'], fail);
  if (typeof o.url !== 'string') fail('labServer.url', 'must be a string');
  const raw = o.url as string;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('labServer.url', `not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('labServer.url', `must be an http: or https: URL, got ${url.protocol}`);
  // fetch() refuses such URLs, and the token has a field of its own.
  if (url.username || url.password) fail('labServer.url', 'must not hold a user or password: put a token in labServer.token');
  const out: { url: string; token?: string; timeoutMs?: number } = { url: url.href };
  if (o.token !== undefined) {
    // Never echo the token: the message goes to logs and terminals.
    if (typeof o.token !== 'string' || !/^[\x21-\x7e]+$/.test(o.token)) {
      fail('labServer.token', 'must be a non-empty string of printable ASCII without spaces');
    }
    out.token = o.token as string;
  }
  if (o.timeoutMs !== undefined) {
    const t = o.timeoutMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 100 || t > 600_000) {
      fail('labServer.timeoutMs', `must be a whole number of milliseconds from 100 to 600000, got ${JSON.stringify(t)}`);
    }
    out.timeoutMs = t as number;
  }
  return out;
}

/** An absolute path, or one under the home directory written `~/...`. */
function readImagesDir(v: unknown, fail: Fail): string {
  if (typeof v !== 'string' || v.trim() === '') fail('imagesDir', 'must be a non-empty path');
  const raw = v as string;
  const path = raw === '~' || raw.startsWith('~/') ? join(homedir(), raw.slice(1)) : raw;
  if (!isAbsolute(path)) fail('imagesDir', `must be an absolute path or start with ~/, got ${JSON.stringify(raw)}`);
  return normalize(path);
}

const READERS: { readonly [K in keyof Config]-?: (v: unknown, fail: Fail) => NonNullable<Config[K]> } = {
  labServer: readLabServer,
  imagesDir: readImagesDir,
};

/** Where the front panel's new jobs go unless the config says otherwise. */
export function imagesDirOf(config: Config): string {
  return config.imagesDir ?? join(homedir(), 'imagebox-images');
}

/** Validates a config file's text; throws ConfigError naming `file` and the field. */
export function parseConfig(text: string, file: string): Config {
  const fail: Fail = (field, problem) => {
    throw new ConfigError(file, field, problem);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail('', `not valid JSON (${(e as Error).message})`);
  }
  const root = objectWith(json, '', Object.keys(READERS), fail);
  const config: Record<string, unknown> = {};
  for (const [key, read] of Object.entries(READERS)) {
    if (root[key] !== undefined) config[key] = read(root[key], fail);
  }
  return config as Config;
}

/** The config file: `$IMAGEBOX_CONFIG` (explicit: it must exist), else `<stateDir>/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): { path: string; explicit: boolean } {
  if (env.IMAGEBOX_CONFIG) return { path: env.IMAGEBOX_CONFIG, explicit: true };
  return { path: join(stateDir(), 'config.json'), explicit: false };
}

export function loadConfig(opts: { path?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const where = opts.path !== undefined ? { path: opts.path, explicit: true } : configPath(opts.env);
  let text: string;
  try {
    text = readFileSync(where.path, 'utf8');
  } catch (e) {
    if (isCode(e, 'ENOENT') && !where.explicit) return {};
    throw new ConfigError(where.path, '', `cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text, where.path);
}
