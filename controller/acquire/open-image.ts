// Opening any image imagebox writes, by its format, with the record that sits beside it.
import fs from 'node:fs/promises';
import { validateRecord, type AcquisitionRecord } from '../evidence/record-schema.ts';
import { E01Reader } from '../formats/e01/e01-reader.ts';
import { openRawReader } from '../formats/raw.ts';
import { openSplitRawReader } from '../formats/split-raw.ts';
import type { ImageReader } from '../formats/types.ts';
import { openZstdSeekableReader } from '../formats/zstd-seekable-reader.ts';
import { imageNames, type ImageFormat, type ImageNames } from './image-format.ts';

export interface OpenedImage {
  readonly names: ImageNames;
  readonly reader: ImageReader;
  /** Set for E01: its stored MD5/SHA-1 and error2 list come from the file itself. */
  readonly e01?: E01Reader;
  /** The acquisition record, when BASE.json is there. */
  readonly record?: AcquisitionRecord;
}

/** The record beside an image, validated; undefined when there is none. */
export async function readRecord(names: ImageNames): Promise<AcquisitionRecord | undefined> {
  let text: string;
  try {
    text = await fs.readFile(`${names.base}.json`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return validateRecord(JSON.parse(text));
}

export async function openImage(path: string, format: ImageFormat): Promise<OpenedImage> {
  const names = imageNames(path, format);
  const record = await readRecord(names);
  switch (format) {
    case 'raw':
      return { names, record, reader: await openRawReader(names.first) };
    case 'split':
      return { names, record, reader: await openSplitRawReader(names.first, { expectedSize: record?.imaged.sizeBytes }) };
    case 'zst':
      return { names, record, reader: await openZstdSeekableReader(names.first) };
    case 'e01': {
      const e01 = await E01Reader.open(names.first);
      return { names, record, reader: e01, e01 };
    }
  }
}
