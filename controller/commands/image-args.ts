// `imagebox image` arguments: parsed and checked into plain settings before anything is opened.
import { parseCommandLine } from './command-line.ts';
import { normaliseAlgos, type Algo } from '../evidence/algorithms.ts';
import type { CaseInfo } from '../evidence/record-schema.ts';
import type { Compression } from '../acquire/container.ts';
import { formatOfPath, IMAGE_FORMATS, type ImageFormat } from '../acquire/image-format.ts';
import { UserError } from '../exit-codes.ts';
import { DEFAULT_SEGMENT_SIZE } from '../formats/e01/e01-writer.ts';
import { DEFAULT_OPTIONS, strategyOptions, type RescueOptions } from '../rescue/options.ts';
import { parseSize } from '../units.ts';

export interface ImageSettings {
  readonly source: string;
  readonly output: string;
  readonly format: ImageFormat;
  readonly algos: Algo[];
  readonly hashWindow: number | undefined;
  readonly compression: Compression;
  readonly segmentSize: number;
  readonly caseInfo: CaseInfo;
  readonly verify: boolean;
  /** Image a block device whose write block is not engaged (recorded as such). */
  readonly allowUnblocked: boolean;
  readonly options: RescueOptions;
  readonly sectorSize: number | undefined;
  readonly json: boolean;
  readonly quiet: boolean;
  readonly emuSpeed: number | undefined;
}

export const IMAGE_USAGE = `usage: imagebox image SOURCE OUTPUT [options]

Makes a forensic image of SOURCE (a block device, a file, or an emulated drive emu:PATTERN?...),
hashed as it is read, with its acquisition record beside it (BASE.json, .txt, .html, .md5,
.sha256). Bad sectors are read with the recovery engine; unread ones are zeros in the image, and
the mapfile (BASE.map), E01's error2 and the record list them. Run the same command again to
resume an interrupted acquisition.

The format follows OUTPUT's extension: .raw/.dd/.img raw, .001 split raw, .E01 EnCase 6, .zst
seekable zstd.
      --format FMT          raw, split, e01 or zst (overrides the extension)
      --hash LIST           of md5, sha1, sha256 [md5,sha256; E01 always has md5]
      --hash-window SIZE    piecewise hashes, one per SIZE window (like dcfldd hashwindow)
      --compression LEVEL   none, fast or best (E01, zst) [fast]
      --split-size SIZE     segment size of split raw and E01 [2GiB]
      --case TEXT           case number
      --evidence TEXT       evidence number
      --examiner TEXT       examiner's name
      --description TEXT    what the evidence is
      --notes TEXT          notes
      --verify              read the image back after writing it and record the result
      --allow-unblocked     image a device that is not write-blocked (the record says so)
      --strategy NAME       smart or ddrescue (docs/strategy.md) [smart]
  -r, --retries N           retry passes over bad sectors [up to 5, until one recovers nothing;
                            0 with --strategy ddrescue]
  -t, --read-timeout SEC    give up on a read that has not answered [30]
  -b, --sector-size BYTES   sector size of a file source [512]
      --json                print the result as JSON on stdout
  -q, --quiet               no live status
      --emu-speed N         emulated sources: wall time = drive-time / N [unpaced]`;

export const READ_SIZE = 1 << 20;
/** Bytes per read while the drive has not failed a read yet (rescue/runway.ts). */
export const RUNWAY_SIZE = 4 << 20;

function sizeOption(name: string, text: string | undefined, fallback: number | undefined): number | undefined {
  if (text === undefined) return fallback;
  try {
    const n = parseSize(text);
    if (n <= 0) throw new Error('must be more than 0');
    return n;
  } catch (err) {
    throw new UserError(`--${name}: ${(err as Error).message}`);
  }
}

function numberOption(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new UserError(`--${name}: '${text}' is not a number >= ${min}`);
  return n;
}

function oneOf<T extends string>(name: string, text: string | undefined, valid: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!(valid as readonly string[]).includes(text)) throw new UserError(`--${name}: '${text}' is not one of ${valid.join(', ')}`);
  return text as T;
}

export function parseImageArgs(argv: string[]): ImageSettings {
  const { values: v, positionals } = parseCommandLine(argv, {
    format: { type: 'string' }, hash: { type: 'string' }, 'hash-window': { type: 'string' },
    compression: { type: 'string' }, 'split-size': { type: 'string' },
    case: { type: 'string' }, evidence: { type: 'string' }, examiner: { type: 'string' },
    description: { type: 'string' }, notes: { type: 'string' },
    verify: { type: 'boolean' }, 'allow-unblocked': { type: 'boolean' },
    strategy: { type: 'string' }, retries: { type: 'string', short: 'r' },
    'read-timeout': { type: 'string', short: 't' }, 'sector-size': { type: 'string', short: 'b' },
    json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, 'emu-speed': { type: 'string' },
  }, ['SOURCE', 'OUTPUT'], IMAGE_USAGE);
  const [source, output] = positionals;
  const format = v.format !== undefined ? oneOf('format', v.format, IMAGE_FORMATS, 'raw') : formatOfPath(output);
  if (!format) throw new UserError(`${output}: cannot tell the format from the extension; use .raw, .dd, .img, .001, .E01 or .zst, or --format`);
  let algos: Algo[];
  try {
    algos = normaliseAlgos((v.hash ?? 'md5,sha256').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
  } catch (err) {
    throw new UserError(`--hash: ${(err as Error).message}`);
  }
  if (format === 'e01' && !algos.includes('md5')) algos = normaliseAlgos(['md5', ...algos]);
  const hashWindow = sizeOption('hash-window', v['hash-window'], undefined);
  if (hashWindow !== undefined && hashWindow % 4096 !== 0) throw new UserError('--hash-window: must be a multiple of 4 KiB');
  const sectorSize = numberOption('sector-size', v['sector-size'], 512);
  if (sectorSize !== undefined && (sectorSize & (sectorSize - 1)) !== 0) throw new UserError(`--sector-size: ${sectorSize} is not a power of two`);
  const strategy = oneOf('strategy', v.strategy, ['ddrescue', 'smart'] as const, DEFAULT_OPTIONS.strategy);
  const base = strategyOptions(strategy);
  const retries = numberOption('retries', v.retries, 0);
  if (retries !== undefined && !Number.isInteger(retries)) throw new UserError('--retries takes a whole number');
  const timeout = numberOption('read-timeout', v['read-timeout'], 0);
  const options: RescueOptions = {
    ...DEFAULT_OPTIONS,
    ...base,
    // Big reads on the healthy majority of a drive; the engine narrows down to sectors around errors.
    clusterSectors: READ_SIZE / (sectorSize ?? 512),
    runwaySectors: RUNWAY_SIZE / (sectorSize ?? 512),
    retries: retries ?? base.retries,
    readTimeoutMs: timeout === undefined ? DEFAULT_OPTIONS.readTimeoutMs : timeout * 1000,
  };
  return {
    source, output, format, algos, hashWindow,
    compression: oneOf('compression', v.compression, ['none', 'fast', 'best'] as const, 'fast'),
    segmentSize: sizeOption('split-size', v['split-size'], DEFAULT_SEGMENT_SIZE)!,
    caseInfo: {
      caseNumber: v.case, evidenceNumber: v.evidence, examiner: v.examiner, description: v.description, notes: v.notes,
    },
    verify: v.verify ?? false,
    allowUnblocked: v['allow-unblocked'] ?? false,
    options, sectorSize,
    json: v.json ?? false,
    quiet: v.quiet ?? false,
    emuSpeed: numberOption('emu-speed', v['emu-speed'], 0),
  };
}
