// Pure parsers of hdparm's `-N` output and of its failures. hdparm exits 0 when a device does not
// answer at all (a loop device: it prints only "/dev/loop0:"), and prints "max sectors = 0/1"
// when a USB bridge drops the command, so the exit code alone proves nothing: the text decides.

import type { HdparmResult, MaxSectors, Parsed, ToolRan } from './types.ts';

const MAX_LINE = /max sectors\s*=\s*(\d+)\/(\d+)(?:\((\d+)\?\))?\s*,?\s*(.*)$/m;

function count(text: string): number | undefined {
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

/**
 * Why a run gave no usable answer, in one line, or undefined when nothing in it says so.
 * Covers what hdparm prints for a missing device, no permission, a drive or bridge that rejects
 * the command, and a kernel that refuses ATA passthrough on a non-ATA device.
 */
export function explainFailure(run: ToolRan, device: string): string | undefined {
  const all = `${run.stderr}\n${run.stdout}`;
  if (/No such file or directory/.test(all)) return `${device} does not exist`;
  if (/Permission denied|Operation not permitted/.test(all)) return `permission denied on ${device} (hdparm needs root)`;
  if (/No medium found/.test(all)) return `${device} has no medium`;
  const sgio = /SG_IO: bad\/missing sense data/.test(all);
  const failed = /^\s*(\S.*?failed):\s*(.+)$/m.exec(all);
  if (failed) {
    const what = failed[1].trim();
    const why = failed[2].trim();
    if (/Invalid argument|Inappropriate ioctl/.test(why)) {
      return `${device} does not take ATA commands (${what}: ${why}): not an ATA drive, or a bridge without ATA passthrough`;
    }
    return `${device} rejected the command (${what}: ${why})${sgio ? ' after SG_IO: bad/missing sense data' : ''}`;
  }
  if (sgio) return `${device} or its USB bridge did not pass the ATA command through (SG_IO: bad/missing sense data)`;
  if (run.code !== 0) return `hdparm exited ${run.code}: ${firstLine(run.stderr || run.stdout) || 'no message'}`;
  return undefined;
}

/** A device that printed nothing but its name: hdparm got no IDENTIFY data from it. */
function silentNote(device: string): string {
  return `${device} did not answer ATA IDENTIFY (hdparm printed nothing for it): not an ATA drive, or a bridge that does not pass ATA commands`;
}

/** The one-line reason a run cannot be parsed, for every way hdparm can fail. */
export function unusable(result: HdparmResult, device: string): string {
  if (result.kind === 'unavailable') return result.note;
  return explainFailure(result, device) ?? silentNote(device);
}

/** `hdparm -N DEV` (also the second half of a set's output, which re-reads the max). */
export function parseMaxSectors(result: HdparmResult, device: string): Parsed<MaxSectors> {
  if (result.kind === 'unavailable') return { ok: false, note: result.note };
  const m = MAX_LINE.exec(result.stdout);
  if (!m) return { ok: false, note: unusable(result, device) };
  const visible = count(m[1]);
  const native = count(m[2]);
  const tail = m[4];
  if (visible === undefined || native === undefined) return { ok: false, note: `${device}: max sectors out of range (${m[1]}/${m[2]})` };
  if (/SG_IO: bad\/missing sense data/.test(`${result.stdout}\n${result.stderr}`) || native <= 1 || visible === 0) {
    // hdparm prints whatever the bridge left in the registers; 0/1 is not a drive's answer.
    return { ok: false, note: `${device}: no real answer to READ NATIVE MAX ADDRESS (hdparm printed ${visible}/${native}${/SG_IO/.test(result.stdout + result.stderr) ? ' after SG_IO: bad/missing sense data' : ''})` };
  }
  if (/seems invalid/.test(tail) || visible > native) {
    return { ok: false, note: `${device}: inconsistent max sectors ${visible}/${native} (hdparm: HPA setting seems invalid)` };
  }
  return { ok: true, value: { visible, native, accessibleMaxAddress: /ACCESSIBLE MAX ADDRESS/i.test(tail) } };
}

/** What a volatile SET MAX printed: whether the drive took it, and the max hdparm re-read after it. */
export interface SetMaxOutcome {
  readonly accepted: boolean;
  /** hdparm's own words when the drive refused ("SET_MAX_ADDRESS(_EXT) failed: Input/output error"). */
  readonly note?: string;
  readonly after?: MaxSectors;
}

export function parseSetMax(result: HdparmResult, device: string): SetMaxOutcome {
  if (result.kind === 'unavailable') return { accepted: false, note: result.note };
  const after = parseMaxSectors(result, device);
  const failure = explainFailure(result, device);
  const announced = /setting max visible sectors to \d+/.test(result.stdout);
  if (failure || !announced) {
    return { accepted: false, note: failure ?? unusable(result, device), after: after.ok ? after.value : undefined };
  }
  // hdparm re-reads the max after every set; without that line the drive never really answered.
  if (!after.ok) return { accepted: false, note: after.note };
  return { accepted: true, after: after.value };
}

/** `--dco-restore`: hdparm says "issuing DCO restore command", then perror()s if the drive aborts. */
export function parseDcoRestore(result: HdparmResult, device: string): { accepted: boolean; note?: string } {
  if (result.kind === 'unavailable') return { accepted: false, note: result.note };
  const failure = explainFailure(result, device);
  if (failure) return { accepted: false, note: failure };
  if (!/issuing DCO restore command/.test(result.stdout)) return { accepted: false, note: unusable(result, device) };
  return { accepted: true };
}
