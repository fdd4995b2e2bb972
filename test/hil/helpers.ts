// Small drives for fast tests, and a check that a map covers [0, size) without gaps or repeats.

import { expect } from 'vitest';
import type { Area } from '../../controller/rescue/block.ts';
import { DriveModel } from '../../hil/drive-model.ts';
import type { DriveModelOptions } from '../../hil/drive-model.ts';
import { parseDriveSpec } from '../../hil/drive-spec.ts';
import type { DriveSpecInput } from '../../hil/drive-spec.ts';

export const MiB = 1024 * 1024;

export function drive(pattern: string, input: Partial<DriveSpecInput> = {}, opts: DriveModelOptions = {}): DriveModel {
  return new DriveModel(parseDriveSpec(pattern, { seed: 1, size: 4 * MiB, ...input }), opts);
}

export function expectContiguous(map: readonly Area[], size: number): void {
  let pos = 0;
  for (const [i, a] of map.entries()) {
    expect(a.pos).toBe(pos);
    expect(a.size).toBeGreaterThan(0);
    if (i > 0) expect(a.status).not.toBe(map[i - 1].status);
    pos += a.size;
  }
  expect(pos).toBe(size);
}
