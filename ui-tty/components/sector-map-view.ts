// The live sector map: a grid of cells, each the character of the worst status it covers (so it
// reads without colour), coloured like ddrescueview where colour exists, and its legend.
import React from 'react';
import { Box, Text } from 'ink';
import { formatBytes } from '../../controller/units.ts';
import { cellBytes, sectorGrid, STATUS_NAMES, STATUS_ORDER } from '../sector-grid.ts';
import { clip } from '../text.ts';
import type { MapRun, SectorStatus } from '../view-model.ts';
import { STATUS_COLOURS } from '../words.ts';

const h = React.createElement;

export interface SectorMapViewProps {
  readonly map: readonly MapRun[];
  readonly columns: number;
  readonly rows: number;
}

/** Runs of one status within a grid row, so a row is a few coloured pieces, not one per cell. */
function pieces(cells: readonly SectorStatus[]): { status: SectorStatus; text: string }[] {
  const out: { status: SectorStatus; text: string }[] = [];
  for (const s of cells) {
    const last = out[out.length - 1];
    if (last && last.status === s) last.text += s;
    else out.push({ status: s, text: s });
  }
  return out;
}

export function legendText(map: readonly MapRun[], cells: number): string {
  const names = STATUS_ORDER.map((s) => `${s} ${STATUS_NAMES[s]}`).join('  ');
  return `${names}   1 cell = ${formatBytes(Math.round(cellBytes(map, cells)))}`;
}

export function SectorMapView({ map, columns, rows }: SectorMapViewProps): React.ReactElement {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows);
  const grid = sectorGrid(map, width * height);
  const lines: React.ReactNode[] = [];
  for (let r = 0; r < height; r++) {
    const row = pieces(grid.slice(r * width, (r + 1) * width));
    lines.push(h(Text, { key: r }, ...row.map((p, i) => h(Text, { key: i, color: STATUS_COLOURS[p.status] }, p.text))));
  }
  return h(
    Box,
    { flexDirection: 'column' },
    ...lines,
    h(Text, { key: 'legend', dimColor: true }, clip(legendText(map, width * height), columns)),
  );
}
