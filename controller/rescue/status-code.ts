// Statuses as small integers, and sets of them as bit masks, for the sector map's typed arrays.
import { isStatus } from './block.ts';
import type { Status } from './block.ts';

export function codeOf(s: Status): number {
  switch (s) {
    case '?': return 0;
    case '*': return 1;
    case '/': return 2;
    case '-': return 3;
    case '+': return 4;
  }
}

export function maskOf(statuses: readonly Status[] | string): number {
  let m = 0;
  for (const c of statuses) {
    if (!isStatus(c)) throw new RangeError(`unknown status '${c}'`);
    m |= 1 << codeOf(c);
  }
  return m;
}

export function checkStatus(s: Status): number {
  if (!isStatus(s)) throw new RangeError(`unknown status '${String(s)}'`);
  return codeOf(s);
}
