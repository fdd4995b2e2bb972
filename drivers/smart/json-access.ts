// Typed reads from smartctl's JSON, which is ours to trust only as far as its shape goes: fields
// come and go between drive kinds and smartctl versions, so every read may come back undefined.

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at a path of keys, or undefined when any step is missing or not an object. */
export function at(root: unknown, ...path: string[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (!isObj(v)) return undefined;
    v = v[k];
  }
  return v;
}

export function num(root: unknown, ...path: string[]): number | undefined {
  const v = at(root, ...path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(root: unknown, ...path: string[]): string | undefined {
  const v = at(root, ...path);
  return typeof v === 'string' ? v : undefined;
}

export function bool(root: unknown, ...path: string[]): boolean | undefined {
  const v = at(root, ...path);
  return typeof v === 'boolean' ? v : undefined;
}

export function list(root: unknown, ...path: string[]): unknown[] {
  const v = at(root, ...path);
  return Array.isArray(v) ? v : [];
}
