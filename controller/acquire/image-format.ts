// Which image format an output path means, and the names of everything an acquisition writes
// beside it: the record (BASE.json, .txt, .html, .md5…), the mapfile, the log and the working file.

import { basename, dirname, join } from 'node:path';
import { segmentName } from '../formats/split-raw-names.ts';

export type ImageFormat = 'raw' | 'split' | 'e01' | 'zst';

export const IMAGE_FORMATS: readonly ImageFormat[] = ['raw', 'split', 'e01', 'zst'];

const BY_EXTENSION: readonly [RegExp, ImageFormat][] = [
  [/\.(raw|dd|img)$/i, 'raw'],
  [/\.001$/, 'split'],
  [/\.e01$/i, 'e01'],
  [/\.zst$/i, 'zst'],
];

/** The format OUTPUT's extension names, or undefined. */
export function formatOfPath(output: string): ImageFormat | undefined {
  return BY_EXTENSION.find(([re]) => re.test(output))?.[1];
}

export interface ImageNames {
  readonly format: ImageFormat;
  /** The first (or only) image file. */
  readonly first: string;
  /** For split raw: the set's base, segments being BASE.001, BASE.002… */
  readonly splitBase?: string;
  /** BASE: OUTPUT without its format extension; the record files are BASE.json and so on. */
  readonly base: string;
  readonly mapfile: string;
  readonly log: string;
  /** Holds what is read after the stream into the image broke; removed once the image is closed. */
  readonly work: string;
}

/**
 * Names for an acquisition to OUTPUT. With an explicit format, OUTPUT may have any name: split raw
 * then writes OUTPUT.001 onwards, and E01 needs the .E01 name EnCase numbers segments from.
 */
export function imageNames(output: string, format: ImageFormat): ImageNames {
  const extOf = formatOfPath(output) === format;
  const stem = extOf ? output.replace(/\.[^./]+$/, '') : output;
  let first = output;
  let splitBase: string | undefined;
  if (format === 'split') {
    splitBase = stem;
    first = segmentName(stem, 1);
  } else if (format === 'e01' && !extOf) {
    first = `${output}.E01`;
  }
  const base = join(dirname(output), basename(stem));
  return { format, first, splitBase, base, mapfile: `${base}.map`, log: `${base}.log`, work: `${base}.work` };
}
