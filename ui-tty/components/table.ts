// A table of fixed-width text columns; 'flex' columns share what the fixed ones leave. The selected
// row carries a '>' marker (and inverse video where there is colour) and is kept in view.
import React from 'react';
import { Box, Text } from 'ink';
import { fit } from '../text.ts';
import type { Colour } from '../words.ts';

const h = React.createElement;

export interface Column<R> {
  readonly header: string;
  readonly width: number | 'flex';
  readonly align?: 'left' | 'right';
  text(row: R): string;
  colour?(row: R): Colour;
}

export interface TableProps<R> {
  readonly columns: readonly Column<R>[];
  readonly rows: readonly R[];
  readonly width: number;
  /** Rows shown at most, below the header. */
  readonly height: number;
  /** Index of the selected row; no marker column without it. */
  readonly selected?: number;
  readonly rowKey: (row: R) => string;
}

const GAP = 1;
const MARKER = 2;

/** Widths of the columns in `width`: flex columns split the rest evenly, never below 4. */
export function columnWidths(columns: readonly Column<unknown>[], width: number): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width === 'flex' ? 0 : c.width), 0);
  const flex = columns.filter((c) => c.width === 'flex').length;
  const free = width - fixed - GAP * (columns.length - 1);
  const each = flex > 0 ? Math.max(4, Math.floor(free / flex)) : 0;
  return columns.map((c) => (c.width === 'flex' ? each : c.width));
}

/** First row to show so that `selected` is in a window of `height` rows. */
export function firstVisible(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  return Math.min(Math.max(0, selected - height + 1), count - height);
}

export function Table<R>(props: TableProps<R>): React.ReactElement {
  const { columns, rows, width, height, selected, rowKey } = props;
  const marked = selected !== undefined;
  const widths = columnWidths(columns as readonly Column<unknown>[], width - (marked ? MARKER : 0));
  const cell = (text: string, i: number): string => fit(text, widths[i], columns[i].align);
  const header = columns.map((c, i) => cell(c.header, i)).join(' ');
  const start = firstVisible(selected ?? 0, rows.length, Math.max(1, height));
  const shown = rows.slice(start, start + Math.max(1, height));
  return h(
    Box,
    { flexDirection: 'column' },
    h(Text, { bold: true }, (marked ? ' '.repeat(MARKER) : '') + header),
    ...shown.map((row, k) => {
      const isSelected = marked && start + k === selected;
      const cells = columns.flatMap((c, i) => [
        i > 0 ? ' ' : '',
        h(Text, { key: c.header, color: c.colour?.(row) }, cell(c.text(row), i)),
      ]);
      return h(Text, { key: rowKey(row), inverse: isSelected }, marked ? (isSelected ? '> ' : '  ') : '', ...cells);
    }),
  );
}

/** A typed element of Table: createElement cannot infer a generic component's row type. */
export function table<R>(props: TableProps<R>): React.ReactElement {
  return h(Table as (p: TableProps<R>) => React.ReactElement, props);
}
