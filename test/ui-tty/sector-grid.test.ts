import { describe, expect, it } from 'vitest';
import { cellBytes, sectorGrid, statusTotals } from '../../ui-tty/sector-grid.ts';
import type { MapRun } from '../../ui-tty/view-model.ts';

const grid = (map: MapRun[], cells: number): string => sectorGrid(map, cells).join('');

describe('sectorGrid', () => {
  it('cuts the drive into equal cells', () => {
    const map: MapRun[] = [{ status: '+', bytes: 400 }, { status: '?', bytes: 600 }];
    expect(grid(map, 10)).toBe('++++??????');
  });

  it('shows the worst status a cell touches, even one sector in a large cell', () => {
    const map: MapRun[] = [
      { status: '+', bytes: 1_000_000 },
      { status: '-', bytes: 512 },
      { status: '+', bytes: 999_488 },
      { status: '*', bytes: 10 },
      { status: '?', bytes: 999_990 },
    ];
    expect(grid(map, 3)).toBe('+-*');
    expect(grid(map, 6)).toBe('++-+*?');
  });

  it('ranks bad over non-scraped over non-trimmed over non-tried over finished', () => {
    const cell = (...statuses: MapRun['status'][]): string => grid(statuses.map((status) => ({ status, bytes: 1 })), 1);
    expect(cell('+', '?')).toBe('?');
    expect(cell('?', '*', '+')).toBe('*');
    expect(cell('*', '/')).toBe('/');
    expect(cell('/', '-', '?')).toBe('-');
    expect(cell('+', '+')).toBe('+');
  });

  it('puts a boundary byte in the cell it starts and spreads an uneven size', () => {
    // 10 bytes in 3 cells: [0,3) [3,6) [6,10).
    expect(grid([{ status: '+', bytes: 3 }, { status: '-', bytes: 7 }], 3)).toBe('+--');
    expect(grid([{ status: '+', bytes: 6 }, { status: '-', bytes: 4 }], 3)).toBe('++-');
    expect(grid([{ status: '+', bytes: 5 }, { status: '-', bytes: 5 }], 3)).toBe('+--');
  });

  it('shows a change of the map', () => {
    const before: MapRun[] = [{ status: '+', bytes: 500 }, { status: '?', bytes: 500 }];
    const after: MapRun[] = [{ status: '+', bytes: 700 }, { status: '/', bytes: 100 }, { status: '?', bytes: 200 }];
    expect(grid(before, 10)).toBe('+++++?????');
    expect(grid(after, 10)).toBe('+++++++/??');
  });

  it('handles more cells than bytes, empty runs and an empty map', () => {
    expect(grid([{ status: '+', bytes: 2 }, { status: '-', bytes: 1 }], 6)).toBe('++++--');
    expect(grid([{ status: '-', bytes: 0 }, { status: '+', bytes: 4 }], 2)).toBe('++');
    expect(grid([], 4)).toBe('????');
    expect(sectorGrid([{ status: '+', bytes: 4 }], 0)).toEqual([]);
  });

  it('stays exact on a 20 TB drive, where cell * size passes 2^53', () => {
    const size = 20_000_000_000_000 + 4096 * 3;
    const cells = 1999;
    const lastCellStart = Math.floor(size / cells) * (cells - 1) + Math.floor(((size % cells) * (cells - 1)) / cells);
    const map: MapRun[] = [{ status: '+', bytes: lastCellStart }, { status: '-', bytes: size - lastCellStart }];
    const g = sectorGrid(map, cells);
    expect(g[cells - 2]).toBe('+');
    expect(g[cells - 1]).toBe('-');
  });

  it('walks a million runs quickly', () => {
    const map: MapRun[] = [];
    for (let i = 0; i < 1_000_000; i++) map.push({ status: i % 500 === 0 ? '-' : '+', bytes: 4096 });
    const t0 = performance.now();
    const g = sectorGrid(map, 80 * 14);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(g.every((s) => s === '-')).toBe(true);
  });
});

describe('statusTotals and cellBytes', () => {
  it('sum the bytes in each status and split the size over the cells', () => {
    const map: MapRun[] = [{ status: '+', bytes: 700 }, { status: '-', bytes: 100 }, { status: '+', bytes: 200 }];
    expect(statusTotals(map)).toEqual({ '+': 900, '?': 0, '*': 0, '/': 0, '-': 100 });
    expect(cellBytes(map, 4)).toBe(250);
  });
});
