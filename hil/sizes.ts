// Sizes as people type them: 64K, 128M, 1G, 2T (binary units), or plain bytes.

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

export function parseSize(text: string | number): number {
  if (typeof text === 'number') return checkBytes(text, String(text));
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) throw new Error(`invalid size "${text}" (examples: 4096, 64K, 128M, 1G)`);
  return checkBytes(Number(m[1]) * UNITS[m[2].toUpperCase()], text);
}

function checkBytes(n: number, text: string): number {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`invalid size "${text}": must be a whole positive number of bytes`);
  return n;
}

/** The shortest exact spelling parseSize reads back: 134217728 -> "128M", 1000 -> "1000". */
export function formatSize(bytes: number): string {
  for (const unit of ['T', 'G', 'M', 'K']) {
    const u = UNITS[unit];
    if (bytes >= u && bytes % u === 0) return `${bytes / u}${unit}`;
  }
  return String(bytes);
}
