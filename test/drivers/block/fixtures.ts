// Sources with known content and known faults, for the contract suite and the driver tests.

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { Block } from '../../../controller/rescue/block.ts';
import { DriveModel } from '../../../hil/drive-model.ts';
import { parseDriveSpec } from '../../../hil/drive-spec.ts';
import type { DriveBackend, DriveReadOutcome } from '../../../hil/types.ts';

const REPO_TMP = path.resolve(import.meta.dirname, '../../../tmp');

async function directWorksIn(dir: string): Promise<boolean> {
  const probe = path.join(dir, `.imagebox-odirect-${process.pid}`);
  await writeFile(probe, Buffer.alloc(4096));
  try {
    const fh = await open(probe, constants.O_RDONLY | constants.O_DIRECT);
    await fh.close();
    return true;
  } catch {
    return false;
  } finally {
    await rm(probe, { force: true });
  }
}

/**
 * A fresh temp dir on a filesystem that accepts O_DIRECT: os.tmpdir() when it does (ext4 here),
 * else the repo's gitignored tmp/.
 */
export async function directTempDir(prefix = 'imagebox-blk-'): Promise<string> {
  let base = os.tmpdir();
  if (!(await directWorksIn(base))) {
    await mkdir(REPO_TMP, { recursive: true });
    base = REPO_TMP;
  }
  return mkdtemp(path.join(base, prefix));
}

export interface ContentFile {
  readonly file: string;
  readonly content: Buffer;
  /** Fails the test when the file's bytes or mtime changed since it was made. */
  expectUntouched(): Promise<void>;
}

export async function makeContentFile(dir: string, name: string, size: number): Promise<ContentFile> {
  const file = path.join(dir, name);
  const content = randomBytes(size);
  await writeFile(file, content);
  const mtimeNs = (await stat(file, { bigint: true })).mtimeNs;
  return {
    file,
    content,
    async expectUntouched() {
      expect((await stat(file, { bigint: true })).mtimeNs).toBe(mtimeNs);
      expect((await readFile(file)).equals(content)).toBe(true);
    },
  };
}

/** A small drive model with scattered bad sectors, deterministic from its seed. */
export function scatteredDrive(sectorSize: 512 | 4096 = 512): DriveModel {
  return new DriveModel(parseDriveSpec('scattered', { seed: 11, size: 4 * 1024 * 1024, sectorSize, params: { count: 6 } }));
}

/** A good sector range of the model clear of its damage by `margin` bytes, to make hang. */
export function quietBlock(model: DriveModel, size: number, margin = 64 * 1024): Block {
  for (let pos = margin; pos + size + margin <= model.size; pos += model.sectorSize) {
    const lo = pos - margin;
    const hi = pos + size + margin;
    if (model.damage.bad.every((b) => b.pos + b.size <= lo || b.pos >= hi)) return { pos, size };
  }
  throw new Error('no quiet block');
}

/**
 * A drive model plus one range whose reads hang for `hangMs` of wall time and then fail: a drive
 * that stops answering one command. Drive-time is charged by the inner model for everything else.
 */
export class HangingDrive implements DriveBackend {
  readonly inner: DriveModel;
  readonly hang: Block;
  readonly hangMs: number;
  readonly size: number;
  readonly sectorSize: number;

  constructor(inner: DriveModel, hang: Block, hangMs: number) {
    this.inner = inner;
    this.hang = hang;
    this.hangMs = hangMs;
    this.size = inner.size;
    this.sectorSize = inner.sectorSize;
  }

  get clock() {
    return this.inner.clock;
  }

  read(pos: number, len: number, timeoutMs?: number): DriveReadOutcome & { readonly timedOut?: boolean } {
    if (pos < this.hang.pos + this.hang.size && pos + len > this.hang.pos) {
      return { ok: false, hangMs: this.hangMs, timedOut: timeoutMs !== undefined && this.hangMs > timeoutMs };
    }
    return this.inner.read(pos, len, timeoutMs);
  }

  reset(): void {
    this.inner.reset();
  }
}

export function modelBytes(model: DriveModel, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  model.content(pos, buf);
  return buf;
}
