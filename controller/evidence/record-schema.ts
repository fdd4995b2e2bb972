// The acquisition record: what was imaged, from what, how, by whom, with which result. Written as
// JSON beside the image; docs/acquisition-record.md describes every field. validateRecord() reads
// one back (or checks one before it is written) and says what is wrong with it.

import { HEX_LENGTH, isAlgo, type Algo } from './algorithms.ts';
import type { Piece } from './piecewise.ts';
import type { SmartRecordSummary } from '../../drivers/smart/summary.ts';

export const RECORD_SCHEMA = 'imagebox-acquisition-record';
export const RECORD_VERSION = 1;

export interface HashValue {
  algorithm: Algo;
  hex: string;
}

export interface CaseInfo {
  caseNumber?: string;
  evidenceNumber?: string;
  examiner?: string;
  description?: string;
  notes?: string;
}

export interface ToolInfo {
  name: string;
  version: string;
  commandLine?: string;
}

export interface HostInfo {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
}

/** What the drive says it is (filled by drive-intelligence code when it knows). */
export interface DeviceIdentity {
  model?: string;
  serial?: string;
  firmware?: string;
  capacityBytes?: number;
  logicalSectorSize?: number;
  physicalSectorSize?: number;
  transport?: string;
}

/** What the record keeps about SMART: the verdict, its reasons and the figures that matter when imaging. */
export type SmartSummary = Partial<SmartRecordSummary>;

export interface HpaDcoState {
  hpaPresent?: boolean;
  dcoPresent?: boolean;
  /** Sectors the drive showed (its current max LBA + 1). */
  visibleSectors?: number;
  /** Sectors with the HPA removed (native max). */
  nativeSectors?: number;
  /** Sectors with the DCO removed (real max). */
  dcoSectors?: number;
  /** Which size was imaged. */
  imaged: 'visible' | 'native' | 'dco';
  note?: string;
}

export interface WriteBlockState {
  state: 'hardware' | 'software' | 'none' | 'unknown';
  /** How it was established, in words (e.g. "kernel read-only flag set and read back"). */
  method: string;
  verified?: boolean;
}

export interface SourceInfo {
  /** The device or file read. */
  path: string;
  identity?: DeviceIdentity;
  smart?: SmartSummary;
  hpaDco?: HpaDcoState;
  writeBlock?: WriteBlockState;
}

/** The part of the source that was imaged: positions are the source's. */
export interface ImagedExtent {
  offsetBytes: number;
  sizeBytes: number;
  sectorSize: number;
  firstSector: number;
  sectorCount: number;
}

export interface SegmentFile {
  /** Path relative to the record's folder, '/'-separated. */
  file: string;
  sizeBytes: number;
  hashes: HashValue[];
}

export type UnreadStatus = 'non-tried' | 'non-trimmed' | 'non-scraped' | 'bad-sector' | 'unread';

/** A range of the source never read; the image holds zeros there. Ends are exclusive for bytes, inclusive for sectors. */
export interface UnreadRange {
  startByte: number;
  endByte: number;
  sizeBytes: number;
  firstSector: number;
  lastSector: number;
  sectorCount: number;
  status: UnreadStatus;
}

export interface UnreadSummary {
  fill: 'zeros';
  byteCount: number;
  sectorCount: number;
  ranges: UnreadRange[];
}

export interface Timing {
  /** ISO 8601, UTC. */
  start: string;
  end: string;
  durationMs: number;
  /** Bytes read from the source per second of the whole duration. */
  averageBytesPerSecond: number;
}

export interface Verification {
  result: 'match' | 'mismatch' | 'failed' | 'not-run';
  /** How, in words (e.g. "image read back and hashed"). */
  method: string;
  at?: string;
  hashes?: HashValue[];
  /** Windows whose piecewise hash differed (mismatch only). */
  mismatchedWindows?: { offset: number; length: number }[];
  detail?: string;
}

export interface AcquisitionRecord {
  schema: typeof RECORD_SCHEMA;
  version: typeof RECORD_VERSION;
  case: CaseInfo;
  tool: ToolInfo;
  host: HostInfo;
  source: SourceInfo;
  imaged: ImagedExtent;
  /** The job's settings as given (format, compression, retries...). */
  settings: Record<string, string | number | boolean | null>;
  output: { format: string; segments: SegmentFile[] };
  timing: Timing;
  /** Hashes of the image: every imaged byte in order, unread ones as zeros. */
  hashes: HashValue[];
  piecewise?: { windowBytes: number; pieces: Piece[] };
  unread: UnreadSummary;
  verification?: Verification;
}

export class RecordError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid acquisition record: ${problems.join('; ')}`);
    this.name = 'RecordError';
    this.problems = problems;
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Throws a RecordError listing every problem; returns the value typed when there is none. */
export function validateRecord(value: unknown): AcquisitionRecord {
  const p: string[] = [];
  const need = (cond: boolean, msg: string): boolean => {
    if (!cond) p.push(msg);
    return cond;
  };
  const str = (o: Obj, k: string, where: string, optional = false): void => {
    if (optional && o[k] === undefined) return;
    need(typeof o[k] === 'string', `${where}.${k} must be a string`);
  };
  const count = (o: Obj, k: string, where: string, optional = false): void => {
    if (optional && o[k] === undefined) return;
    need(isCount(o[k]), `${where}.${k} must be a whole number of at least 0`);
  };
  const hashes = (v: unknown, where: string): void => {
    if (!need(Array.isArray(v), `${where} must be a list`)) return;
    (v as unknown[]).forEach((h, i) => {
      const o = h as Obj;
      if (!need(isObj(h) && isAlgo(o.algorithm), `${where}[${i}].algorithm must be md5, sha1 or sha256`)) return;
      const re = new RegExp(`^[0-9a-f]{${HEX_LENGTH[o.algorithm as Algo]}}$`);
      need(typeof o.hex === 'string' && re.test(o.hex), `${where}[${i}].hex is not a lowercase ${o.algorithm} hex digest`);
    });
  };

  if (!isObj(value)) throw new RecordError(['not an object']);
  const r = value;
  need(r.schema === RECORD_SCHEMA, `schema must be '${RECORD_SCHEMA}'`);
  need(r.version === RECORD_VERSION, `version must be ${RECORD_VERSION}`);
  if (need(isObj(r.case), 'case must be an object')) {
    for (const k of ['caseNumber', 'evidenceNumber', 'examiner', 'description', 'notes']) str(r.case as Obj, k, 'case', true);
  }
  if (need(isObj(r.tool), 'tool must be an object')) {
    str(r.tool as Obj, 'name', 'tool');
    str(r.tool as Obj, 'version', 'tool');
  }
  if (need(isObj(r.host), 'host must be an object')) {
    for (const k of ['hostname', 'os', 'kernel', 'arch']) str(r.host as Obj, k, 'host');
  }
  if (need(isObj(r.source), 'source must be an object')) str(r.source as Obj, 'path', 'source');
  let sectorSize = 0;
  if (need(isObj(r.imaged), 'imaged must be an object')) {
    const im = r.imaged as Obj;
    for (const k of ['offsetBytes', 'sizeBytes', 'sectorSize', 'firstSector', 'sectorCount']) count(im, k, 'imaged');
    sectorSize = im.sectorSize as number;
    need(sectorSize > 0, 'imaged.sectorSize must be positive');
  }
  need(isObj(r.settings), 'settings must be an object');
  if (need(isObj(r.output), 'output must be an object')) {
    const out = r.output as Obj;
    str(out, 'format', 'output');
    if (need(Array.isArray(out.segments), 'output.segments must be a list')) {
      (out.segments as unknown[]).forEach((s, i) => {
        const where = `output.segments[${i}]`;
        if (!need(isObj(s), `${where} must be an object`)) return;
        const f = (s as Obj).file;
        need(
          typeof f === 'string' && f.length > 0 && !f.startsWith('/') && !f.split('/').includes('..') && !/[\r\0]/.test(f),
          `${where}.file must be a path inside the record's folder`,
        );
        count(s as Obj, 'sizeBytes', where);
        hashes((s as Obj).hashes, `${where}.hashes`);
      });
    }
  }
  if (need(isObj(r.timing), 'timing must be an object')) {
    const t = r.timing as Obj;
    need(typeof t.start === 'string' && !Number.isNaN(Date.parse(t.start)), 'timing.start must be an ISO date');
    need(typeof t.end === 'string' && !Number.isNaN(Date.parse(t.end)), 'timing.end must be an ISO date');
    count(t, 'durationMs', 'timing');
    need(typeof t.averageBytesPerSecond === 'number' && t.averageBytesPerSecond >= 0, 'timing.averageBytesPerSecond must be a number');
  }
  hashes(r.hashes, 'hashes');
  if (need(isObj(r.unread), 'unread must be an object')) {
    const u = r.unread as Obj;
    need(u.fill === 'zeros', "unread.fill must be 'zeros'");
    count(u, 'byteCount', 'unread');
    count(u, 'sectorCount', 'unread');
    if (need(Array.isArray(u.ranges), 'unread.ranges must be a list')) {
      let bytes = 0;
      let sectors = 0;
      let last = -1;
      for (const [i, x] of (u.ranges as UnreadRange[]).entries()) {
        const ok =
          isObj(x) &&
          [x.startByte, x.endByte, x.sizeBytes, x.firstSector, x.lastSector, x.sectorCount].every(isCount) &&
          x.endByte - x.startByte === x.sizeBytes &&
          x.sizeBytes > 0 &&
          x.lastSector - x.firstSector + 1 === x.sectorCount &&
          x.startByte >= last;
        if (!need(ok, `unread.ranges[${i}] is not a consistent, sorted range`)) break;
        bytes += x.sizeBytes;
        sectors += x.sectorCount;
        last = x.endByte;
      }
      need(bytes === u.byteCount, `unread.byteCount ${String(u.byteCount)} is not the sum of the ranges (${bytes})`);
      need(sectors === u.sectorCount, `unread.sectorCount ${String(u.sectorCount)} is not the sum of the ranges (${sectors})`);
    }
  }
  if (r.verification !== undefined && need(isObj(r.verification), 'verification must be an object')) {
    const v = r.verification as Obj;
    need(['match', 'mismatch', 'failed', 'not-run'].includes(v.result as string), 'verification.result is unknown');
    str(v, 'method', 'verification');
    if (v.hashes !== undefined) hashes(v.hashes, 'verification.hashes');
  }
  if (p.length) throw new RecordError(p);
  return r as unknown as AcquisitionRecord;
}
