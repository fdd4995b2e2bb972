// GNU ddrescue's mapfile, read and written exactly as ddrescue 1.27 does, so a rescue can move
// between imagebox and ddrescue (or ddrescuelog) in either direction.
//
// Where we are stricter than ddrescue, on purpose (a mapfile that does not look like one that
// ddrescue or imagebox wrote is more likely damaged than exotic):
// - numbers must be hex with 0x (ddrescue reads them with %lli, so it also takes decimal and octal,
//   but it only ever writes hex, and a stray leading 0 would silently change a value into octal);
// - a line with extra fields is refused (ddrescue ignores the rest of the line);
// - the blocks must start at 0 and end exactly at the source's size (ddrescue takes a map that
//   covers only part of the source and treats the rest as non-tried).
// As ddrescue does, we refuse blocks of size 0 and a pass below 1, and merge adjacent blocks of equal
// status.

import { isStatus, type Area, type Status } from './block.ts';
import { SectorMap } from './sector-map.ts';

/** ddrescue's current phase: a block status, or F (filling) / G (generating). */
export type PhaseChar = Status | 'F' | 'G';

export interface MapState {
  /** Where the rescue was working when the map was saved. */
  currentPos: number;
  currentStatus: PhaseChar;
  /** Pass number within the phase, from 1. */
  currentPass: number;
}

export interface MapfileHeader {
  commandLine?: string;
  startTime?: Date;
  /** The "Current time" comment; defaults to the time of formatting. */
  now?: Date;
  finished?: boolean;
  /** Who wrote the map, after "Created by" (default "imagebox"). */
  tool?: string;
  /** More comment lines, taken at the moment of formatting (a job's own bookkeeping). */
  notes?: () => readonly string[];
}

export class MapfileError extends Error {
  readonly path?: string;
  readonly line?: number;

  constructor(message: string, path?: string, line?: number) {
    const where = (path ?? 'mapfile') + (line === undefined ? '' : ` line ${line}`);
    super(`${where}: ${message}`);
    this.name = 'MapfileError';
    this.path = path;
    this.line = line;
  }
}

export function isPhaseChar(c: string): c is PhaseChar {
  return c === 'F' || c === 'G' || isStatus(c);
}

/** Hex as ddrescue writes it (printf "0x%08llX"). */
export function hex8(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(8, '0');
}

const HEX = /^0[xX][0-9a-fA-F]+$/;
const DEC = /^[0-9]+$/;

/**
 * Parses a mapfile. With `size`, the blocks must cover exactly [0, size); without it, the map's size
 * is where the last block ends.
 */
export function parseMapfile(text: string, opts: { size?: number; path?: string } = {}): { state: MapState; map: SectorMap } {
  const path = opts.path;
  const fail = (line: number, message: string): never => {
    throw new MapfileError(message, path, line);
  };
  const number = (token: string, line: number, what: string): number => {
    if (!HEX.test(token)) {
      fail(line, token.startsWith('-') ? `negative ${what} '${token}'` : `${what} '${token}' is not a hex number like 0x0001F000`);
    }
    const n = parseInt(token.slice(2), 16);
    if (!Number.isSafeInteger(n)) fail(line, `${what} '${token}' is too large`);
    return n;
  };

  let state: MapState | undefined;
  const areas: Area[] = [];
  let expected = 0;
  let lastLine = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let stop = text.indexOf('\n', start);
    if (stop === -1) stop = text.length;
    lineNo++;
    const raw = text.slice(start, stop);
    start = stop + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    if (state === undefined) {
      if (fields.length < 2 || fields.length > 3) {
        fail(lineNo, `malformed status line '${line}' (expected: current_pos current_status current_pass)`);
      }
      const currentPos = number(fields[0], lineNo, 'current position');
      const c = fields[1];
      if (c.length !== 1 || !isPhaseChar(c)) fail(lineNo, `unknown status '${c}' in the status line`);
      let currentPass = 1; // maps from before ddrescue 1.20 have no pass
      if (fields.length === 3) {
        if (!DEC.test(fields[2]) || Number(fields[2]) < 1) fail(lineNo, `invalid pass '${fields[2]}' (expected a decimal number from 1)`);
        currentPass = Number(fields[2]);
      }
      state = { currentPos, currentStatus: c as PhaseChar, currentPass };
      lastLine = lineNo;
      continue;
    }
    if (fields.length !== 3) fail(lineNo, `malformed block line '${line}' (expected: pos size status)`);
    const pos = number(fields[0], lineNo, 'position');
    const size = number(fields[1], lineNo, 'size');
    const st = fields[2];
    if (st.length !== 1 || !isStatus(st)) fail(lineNo, `unknown status '${st}' (expected one of ? * / - +)`);
    if (size === 0) fail(lineNo, 'block of size 0 (ddrescue refuses them too)');
    if (pos !== expected) {
      fail(lineNo, areas.length === 0
        ? `first block starts at ${hex8(pos)}, not at 0`
        : `blocks overlap or are not contiguous (expected pos ${hex8(expected)})`);
    }
    if (!Number.isSafeInteger(pos + size)) fail(lineNo, `block at ${hex8(pos)} ends beyond 2^53 bytes`);
    expected = pos + size;
    areas.push({ pos, size, status: st as Status });
    lastLine = lineNo;
  }
  if (state === undefined) fail(Math.max(lineNo - (text.endsWith('\n') ? 1 : 0), 1), 'no status line (empty or truncated mapfile)');
  const size = opts.size ?? expected;
  if (expected !== size) {
    fail(lastLine, `mapfile covers ${hex8(expected)} bytes but the source has ${hex8(size)}`);
  }
  return { state: state!, map: SectorMap.fromAreas(size, areas) };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local time as ddrescue prints it: "2024-05-01 13:45:07". */
function formatTime(d: Date): string {
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

const LINES_PER_CHUNK = 65536;

/**
 * The mapfile's text in pieces of at most 64 Ki lines, so a map of millions of areas is written
 * without building one huge string. With no header, only the two column comments are written.
 */
export function* formatMapfileChunks(map: SectorMap, state: MapState, header?: MapfileHeader): Generator<string> {
  const head: string[] = [];
  if (header) {
    head.push(`# Mapfile. Created by ${header.tool ?? 'imagebox'}\n`);
    if (header.commandLine !== undefined) head.push(`# Command line: ${header.commandLine.replace(/[\r\n]+/g, ' ')}\n`);
    if (header.startTime) head.push(`# Start time:   ${formatTime(header.startTime)}\n`);
    head.push(`# Current time: ${formatTime(header.now ?? new Date())}\n`);
    if (header.finished) head.push('# Finished\n');
    for (const note of header.notes?.() ?? []) head.push(`# ${note.replace(/[\r\n]+/g, ' ')}\n`);
  }
  head.push('# current_pos  current_status  current_pass\n');
  head.push(`${hex8(state.currentPos)}     ${state.currentStatus}               ${state.currentPass}\n`);
  head.push('#      pos        size  status\n');
  yield head.join('');

  let lines: string[] = [];
  for (const a of map.areas()) {
    lines.push(`${hex8(a.pos)}  ${hex8(a.size)}  ${a.status}\n`);
    if (lines.length === LINES_PER_CHUNK) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length > 0) yield lines.join('');
}

export function formatMapfile(map: SectorMap, state: MapState, header?: MapfileHeader): string {
  return [...formatMapfileChunks(map, state, header)].join('');
}
