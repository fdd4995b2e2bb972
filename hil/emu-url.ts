// Emulated drives named as a source string, so the CLI and the HIL scenarios can say
// `emu:dead-head?seed=3&size=128M&sector=512&heads=4` wherever a device path goes.

import type { DriveSpec } from './drive-spec.ts';
import { parseDriveSpec, unknownPatternError } from './drive-spec.ts';
import type { CostModel } from './drive-time.ts';
import { DEFAULT_COST } from './drive-time.ts';
import { isPatternName, PATTERN_DEFS } from './patterns.ts';
import { formatSize } from './sizes.ts';

export const EMU_SCHEME = 'emu:';
const DEFAULT_SIZE = '64M';
const COST_KEYS = Object.keys(DEFAULT_COST) as (keyof CostModel)[];

export function isEmuUrl(text: string): boolean {
  return text.startsWith(EMU_SCHEME);
}

export function parseEmuUrl(url: string): DriveSpec {
  if (!isEmuUrl(url)) throw new Error(`"${url}" is not an emulated drive (expected emu:PATTERN?seed=N&size=64M&sector=512)`);
  const body = url.slice(EMU_SCHEME.length);
  const q = body.indexOf('?');
  const pattern = q < 0 ? body : body.slice(0, q);
  if (!isPatternName(pattern)) throw unknownPatternError(pattern);
  const query = new URLSearchParams(q < 0 ? '' : body.slice(q + 1));
  const params: Record<string, string> = {};
  const cost: Record<string, number> = {};
  for (const [key, value] of query) {
    if (key === 'seed' || key === 'size' || key === 'sector') continue;
    if ((COST_KEYS as string[]).includes(key)) {
      cost[key] = Number(value);
      if (value === '' || !Number.isFinite(cost[key])) throw new Error(`cost term ${key}="${value}" is not a number`);
    } else if (key in PATTERN_DEFS[pattern].params) {
      params[key] = value;
    } else {
      const valid = ['seed', 'size', 'sector', ...Object.keys(PATTERN_DEFS[pattern].params), ...COST_KEYS];
      throw new Error(`emu:${pattern} has no parameter "${key}" (valid: ${valid.join(', ')})`);
    }
  }
  return parseDriveSpec(pattern, {
    seed: query.get('seed') ?? undefined,
    size: query.get('size') ?? DEFAULT_SIZE,
    sectorSize: query.get('sector') ?? undefined,
    params,
    ...(Object.keys(cost).length ? { cost } : {}),
  });
}

/** The canonical string of a spec; parseEmuUrl reads it back to an equal spec. */
export function formatEmuUrl(spec: DriveSpec): string {
  const query = new URLSearchParams({ seed: String(spec.seed), size: formatSize(spec.size), sector: String(spec.sectorSize) });
  for (const [k, v] of Object.entries(spec.params ?? {})) query.set(k, String(v));
  for (const [k, v] of Object.entries(spec.cost ?? {})) query.set(k, String(v));
  return `${EMU_SCHEME}${spec.pattern}?${query}`;
}
