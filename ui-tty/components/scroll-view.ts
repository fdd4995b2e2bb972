// A window over lines of text longer than the screen: Up/Down a line, PgUp/PgDn a page, Home/End.
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { clip } from '../text.ts';
import type { Colour } from '../words.ts';

const h = React.createElement;

export interface Line {
  readonly text: string;
  readonly colour?: Colour;
  readonly bold?: boolean;
}

export interface ScrollViewProps {
  readonly lines: readonly Line[];
  readonly width: number;
  readonly height: number;
  /** Take the keys; false while something else (a question) holds them. */
  readonly active?: boolean;
}

/** Where a key moves the window's first line; the same line for keys that do not scroll. */
export function scrollTo(top: number, key: { upArrow: boolean; downArrow: boolean; pageUp: boolean; pageDown: boolean; home: boolean; end: boolean }, page: number, count: number): number {
  const last = Math.max(0, count - page);
  let next = top;
  if (key.upArrow) next = top - 1;
  else if (key.downArrow) next = top + 1;
  else if (key.pageUp) next = top - page;
  else if (key.pageDown) next = top + page;
  else if (key.home) next = 0;
  else if (key.end) next = last;
  return Math.min(Math.max(0, next), last);
}

export function ScrollView({ lines, width, height, active = true }: ScrollViewProps): React.ReactElement {
  const [top, setTop] = React.useState(0);
  const overflows = lines.length > height;
  // The position line takes one row when the lines do not fit.
  const page = overflows ? Math.max(1, height - 1) : height;
  useInput((_input, key) => setTop((t) => scrollTo(t, key, page, lines.length)), { isActive: active });
  const start = Math.min(top, Math.max(0, lines.length - page));
  const shown = lines.slice(start, start + page);
  const position = `-- lines ${start + 1}-${start + shown.length} of ${lines.length}` +
    (start + shown.length < lines.length ? ', PgDn for more --' : ' --');
  return h(
    Box,
    { flexDirection: 'column' },
    ...shown.map((line, i) => h(Text, { key: start + i, color: line.colour, bold: line.bold }, clip(line.text, width) || ' ')),
    overflows ? h(Text, { key: 'position', dimColor: true }, clip(position, width)) : null,
  );
}
