// Numbers for people: sizes in SI units as ddrescue prints them, durations, and size arguments.

const SI = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  let i = 0;
  let v = n;
  while (v >= 10_000 && i < SI.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 100 ? 1 : 0)} ${SI[i]}`;
}

export function formatRate(bytesPerSec: number): string {
  return `${formatBytes(Math.round(bytesPerSec))}/s`;
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  let s = Math.round(ms / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d}d ${h}h ${m}m`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

const MULT: Record<string, number> = {
  '': 1, b: 1, s: 512, k: 1e3, kb: 1e3, ki: 1024, kib: 1024, m: 1e6, mb: 1e6, mi: 2 ** 20, mib: 2 ** 20,
  g: 1e9, gb: 1e9, gi: 2 ** 30, gib: 2 ** 30, t: 1e12, tb: 1e12, ti: 2 ** 40, tib: 2 ** 40,
};

/**
 * Parse a size: plain bytes, hex (0x...), or a number with a unit. Single-letter units are
 * binary (K, M, G, T = KiB...), as dd and most imaging tools read them; kB/MB/GB are decimal.
 */
export function parseSize(text: string): number {
  const m = /^\s*(0x[0-9a-f]+|\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) throw new Error(`not a size: '${text}'`);
  const unitRaw = m[2];
  let unit = unitRaw.toLowerCase();
  if (/^[kmgt]$/i.test(unitRaw)) unit = `${unit}i`;
  const mult = MULT[unit];
  if (mult === undefined) throw new Error(`unknown unit in '${text}'`);
  const value = m[1].toLowerCase().startsWith('0x') ? parseInt(m[1], 16) : Number(m[1]);
  const n = Math.round(value * mult);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`size out of range: '${text}'`);
  return n;
}
