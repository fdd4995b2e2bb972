// Building an acquisition record from what a job knows at its end: the plain values, plus the
// derived ones (sector numbers, duration, rate, the unread list) computed here once so that the JSON,
// the reports and the hash lists cannot disagree.

import { ALGOS, type Algo } from './algorithms.ts';
import { hostInfo, toolInfo } from './host.ts';
import type { Piece } from './piecewise.ts';
import {
  RECORD_SCHEMA,
  RECORD_VERSION,
  validateRecord,
  type AcquisitionRecord,
  type CaseInfo,
  type HashValue,
  type HostInfo,
  type SourceInfo,
  type ToolInfo,
  type UnreadSummary,
  type Verification,
} from './record-schema.ts';

export interface RecordInput {
  case?: CaseInfo;
  /** Default: this package's name and version. */
  tool?: ToolInfo;
  /** Default: this machine. */
  host?: HostInfo;
  source: SourceInfo;
  /** The imaged part of the source; offset default 0. */
  imaged: { offsetBytes?: number; sizeBytes: number; sectorSize: number };
  settings?: AcquisitionRecord['settings'];
  output: { format: string; segments: { file: string; sizeBytes: number; hashes: Partial<Record<Algo, string>> }[] };
  start: Date;
  end: Date;
  /** Bytes read from the source, for the average rate (default: the imaged size less the unread bytes). */
  bytesRead?: number;
  hashes: Partial<Record<Algo, string>>;
  piecewise?: { windowBytes: number; pieces: Piece[] };
  /** From unreadFromMap() or unreadFromBlocks(). */
  unread: UnreadSummary;
  verification?: Verification;
}

export function hashValues(h: Partial<Record<Algo, string>>): HashValue[] {
  return ALGOS.filter((a) => h[a] !== undefined).map((a) => ({ algorithm: a, hex: h[a]!.toLowerCase() }));
}

export function createRecord(input: RecordInput): AcquisitionRecord {
  const { sectorSize, sizeBytes } = input.imaged;
  const offsetBytes = input.imaged.offsetBytes ?? 0;
  if (offsetBytes % sectorSize !== 0 || sizeBytes % sectorSize !== 0) {
    throw new RangeError(`imaged extent ${offsetBytes}+${sizeBytes} is not whole ${sectorSize}-byte sectors`);
  }
  const outside = input.unread.ranges.find((r) => r.startByte < offsetBytes || r.endByte > offsetBytes + sizeBytes);
  if (outside) throw new RangeError(`unread range at byte ${outside.startByte} lies outside the imaged extent`);
  const durationMs = Math.max(0, input.end.getTime() - input.start.getTime());
  const bytesRead = input.bytesRead ?? sizeBytes - input.unread.byteCount;
  const record: AcquisitionRecord = {
    schema: RECORD_SCHEMA,
    version: RECORD_VERSION,
    case: input.case ?? {},
    tool: input.tool ?? toolInfo(),
    host: input.host ?? hostInfo(),
    source: input.source,
    imaged: { offsetBytes, sizeBytes, sectorSize, firstSector: offsetBytes / sectorSize, sectorCount: sizeBytes / sectorSize },
    settings: input.settings ?? {},
    output: {
      format: input.output.format,
      segments: input.output.segments.map((s) => ({ file: s.file, sizeBytes: s.sizeBytes, hashes: hashValues(s.hashes) })),
    },
    timing: {
      start: input.start.toISOString(),
      end: input.end.toISOString(),
      durationMs,
      averageBytesPerSecond: durationMs > 0 ? Math.round((bytesRead * 1000) / durationMs) : 0,
    },
    hashes: hashValues(input.hashes),
    ...(input.piecewise ? { piecewise: input.piecewise } : {}),
    unread: input.unread,
    ...(input.verification ? { verification: input.verification } : {}),
  };
  return validateRecord(record);
}
