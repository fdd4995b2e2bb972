// What an interrupted acquisition leaves, and how a resume picks it up. The mapfile carries one
// comment line of ours, "imagebox-stream: format=e01 streamed=0x…": how far the image container had
// been written in order when the map was saved. A container without its end (no E01 done section,
// no zstd seek table) cannot be appended to, so a resume deletes it and re-reads those bytes; what
// was read out of order is in the working file and is kept.

import fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isSegmentOf } from '../formats/e01/segment-names.ts';
import { listSegments, segmentName } from '../formats/split-raw-names.ts';
import { hex8 } from '../rescue/mapfile.ts';
import type { ImageFormat, ImageNames } from './image-format.ts';

const NOTE = /^#\s*imagebox-stream: format=(\w+) streamed=0x([0-9A-Fa-f]+)\s*$/m;

export function streamNote(format: ImageFormat, streamedTo: number): string {
  return `imagebox-stream: format=${format} streamed=${hex8(streamedTo)}`;
}

export interface StreamMark {
  readonly format: string;
  readonly streamedTo: number;
}

/** The stream mark of a mapfile's text, or undefined when imagebox's image command did not write it. */
export function parseStreamNote(mapText: string): StreamMark | undefined {
  const m = NOTE.exec(mapText);
  return m ? { format: m[1], streamedTo: parseInt(m[2], 16) } : undefined;
}

/** The container files present for these names (any segment of the set). */
export async function containerFilesPresent(names: ImageNames): Promise<string[]> {
  const dir = dirname(names.first);
  if (names.format === 'split') return (await listSegments(names.splitBase!)).map((n) => segmentName(names.splitBase!, n));
  if (names.format === 'e01') {
    const entries = await fs.readdir(dir).catch(() => [] as string[]);
    return entries.filter((n) => isSegmentOf(names.first, n)).sort().map((n) => join(dir, n));
  }
  return fs.access(names.first).then(
    () => [names.first],
    () => [],
  );
}

/** Deletes an unfinished container, then makes the deletion durable. */
export async function removePartialContainer(files: readonly string[]): Promise<void> {
  for (const f of files) await fs.rm(f, { force: true });
  if (files.length === 0) return;
  const dh = await fs.open(dirname(files[0]), 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}


/** Why an existing mapfile cannot be resumed into these names; undefined when it can. */
export async function resumeRefusal(names: ImageNames): Promise<string | undefined> {
  const done = await fs.access(`${names.base}.json`).then(() => true, () => false);
  if (done) return `${names.base}.json exists: this image is finished; choose a new OUTPUT`;
  const mark = parseStreamNote(await fs.readFile(names.mapfile, 'utf8'));
  if (!mark) return `${names.mapfile} exists but was not written by imagebox image; refusing to reuse it`;
  if (mark.format !== names.format) return `${names.mapfile} belongs to a ${mark.format} image, not ${names.format}`;
  return undefined;
}
