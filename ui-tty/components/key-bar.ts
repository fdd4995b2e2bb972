// The bottom line of every screen: the keys that work here, or a question waiting for an answer.
import React from 'react';
import { Text } from 'ink';

const h = React.createElement;

/** A key and what it does: ['Enter', 'open']. */
export type KeyHint = readonly [key: string, label: string];

export interface KeyBarProps {
  readonly keys: readonly KeyHint[];
  readonly width: number;
  /** Shown instead of the keys, e.g. a y/n question. */
  readonly prompt?: string | null;
}

/** The hints that fit in `width`, in order; the ones at the end give way first. */
export function fittingHints(keys: readonly KeyHint[], width: number): KeyHint[] {
  const out: KeyHint[] = [];
  let used = 0;
  for (const hint of keys) {
    const len = hint[0].length + 1 + hint[1].length + (out.length > 0 ? 2 : 0);
    if (used + len > width) break;
    out.push(hint);
    used += len;
  }
  return out;
}

export function KeyBar({ keys, width, prompt }: KeyBarProps): React.ReactElement {
  if (prompt) {
    return h(Text, { color: 'yellow', bold: true, wrap: 'truncate-end' }, prompt.slice(0, width));
  }
  const parts: React.ReactNode[] = [];
  fittingHints(keys, width).forEach(([key, label], i) => {
    if (i > 0) parts.push('  ');
    parts.push(h(Text, { key, inverse: true }, key), ` ${label}`);
  });
  return h(Text, { wrap: 'truncate-end' }, ...parts);
}
