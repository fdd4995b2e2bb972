// What the human reports say, as data: labelled rows per section and the tables. The text and HTML
// reports only lay this out, so they always say the same things in the same words.

import { ALGO_NAMES } from './algorithms.ts';
import type { AcquisitionRecord, HashValue } from './record-schema.ts';
import { completeness, imageHashSentence, plural, thousands, verificationSentence } from './wording.ts';

export type Row = [label: string, value: string];

export interface Section {
  title: string;
  rows: Row[];
  /** Sentences printed after the rows. */
  text?: string[];
  table?: { head: string[]; rows: string[][]; more?: string };
}

/** The reports list at most this many unread ranges; the JSON record has them all. */
export const MAX_LISTED_RANGES = 10_000;

function rows(pairs: [string, unknown][]): Row[] {
  return pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, typeof v === 'number' ? thousands(v) : String(v)]);
}

const yesNo = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : b ? 'yes' : 'no');

function hashCell(hs: HashValue[]): string {
  return hs.map((h) => `${ALGO_NAMES[h.algorithm]} ${h.hex}`).join('\n');
}

export function reportSections(r: AcquisitionRecord, basename: string): Section[] {
  const s: Section[] = [];
  const c = r.case;
  s.push({
    title: 'Case',
    rows: rows([
      ['Case number', c.caseNumber],
      ['Evidence number', c.evidenceNumber],
      ['Examiner', c.examiner],
      ['Description', c.description],
      ['Notes', c.notes],
    ]),
  });
  s.push({
    title: 'Tool and host',
    rows: rows([
      ['Tool', `${r.tool.name} ${r.tool.version}`],
      ['Command', r.tool.commandLine],
      ['Host', r.host.hostname],
      ['Operating system', r.host.os],
      ['Kernel', r.host.kernel],
      ['Architecture', r.host.arch],
    ]),
  });
  const id = r.source.identity ?? {};
  const cap = id.capacityBytes;
  s.push({
    title: 'Source',
    rows: rows([
      ['Device', r.source.path],
      ['Model', id.model],
      ['Serial number', id.serial],
      ['Firmware', id.firmware],
      ['Transport', id.transport],
      ['Capacity', cap === undefined ? undefined : `${plural(cap, 'byte')}` + (id.logicalSectorSize ? ` (${plural(cap / id.logicalSectorSize, 'sector')})` : '')],
      ['Logical sector size', id.logicalSectorSize === undefined ? undefined : `${id.logicalSectorSize} bytes`],
      ['Physical sector size', id.physicalSectorSize === undefined ? undefined : `${id.physicalSectorSize} bytes`],
    ]),
  });
  const sm = r.source.smart;
  if (sm) {
    s.push({
      title: 'SMART',
      rows: rows([
        ['Overall health', sm.healthPassed === undefined ? undefined : sm.healthPassed ? 'PASSED' : 'FAILED'],
        ['Power-on hours', sm.powerOnHours],
        ['Reallocated sectors', sm.reallocatedSectors],
        ['Pending sectors', sm.pendingSectors],
        ['Offline uncorrectable', sm.offlineUncorrectable],
        ['Temperature', sm.temperatureCelsius === undefined ? undefined : `${sm.temperatureCelsius} °C`],
        ['Note', sm.note],
      ]),
    });
  }
  const hd = r.source.hpaDco;
  if (hd) {
    s.push({
      title: 'HPA / DCO',
      rows: rows([
        ['HPA present', yesNo(hd.hpaPresent)],
        ['DCO present', yesNo(hd.dcoPresent)],
        ['Visible sectors', hd.visibleSectors],
        ['Native sectors (HPA removed)', hd.nativeSectors],
        ['Real sectors (DCO removed)', hd.dcoSectors],
        ['Imaged', { visible: 'the visible area only', native: 'including the HPA', dco: 'including the HPA and DCO areas' }[hd.imaged]],
        ['Note', hd.note],
      ]),
    });
  }
  const wb = r.source.writeBlock;
  s.push({
    title: 'Write blocking',
    rows: wb ? rows([['State', wb.state], ['How established', wb.method], ['Verified', yesNo(wb.verified)]]) : [['State', 'not recorded']],
  });
  const im = r.imaged;
  s.push({
    title: 'What was imaged',
    rows: rows([
      ['Bytes', `${thousands(im.offsetBytes)} to ${thousands(im.offsetBytes + im.sizeBytes)} (${plural(im.sizeBytes, 'byte')})`],
      ['Sectors', `${thousands(im.firstSector)} to ${thousands(im.firstSector + im.sectorCount - 1)} (${plural(im.sectorCount, 'sector')} of ${im.sectorSize} bytes)`],
      ['Format', r.output.format],
      ...Object.entries(r.settings).map(([k, v]): [string, unknown] => [`Setting: ${k}`, v === null ? 'none' : v]),
    ]),
  });
  const t = r.timing;
  s.push({
    title: 'Times',
    rows: rows([
      ['Started', t.start],
      ['Ended', t.end],
      ['Duration', formatMs(t.durationMs)],
      ['Average rate', `${(t.averageBytesPerSecond / 1e6).toFixed(1)} MB/s`],
    ]),
  });
  s.push({
    title: 'Result and hashes',
    rows: [],
    text: [...r.hashes.map((h) => imageHashSentence(r, h)), completeness(r)],
  });
  if (r.piecewise) {
    s.push({
      title: 'Piecewise hashes',
      rows: rows([
        ['Window', `${plural(r.piecewise.windowBytes, 'byte')}`],
        ['Windows', r.piecewise.pieces.length],
        ['Listed in', `${basename}.piecewise.txt`],
      ]),
    });
  }
  s.push({
    title: 'Files',
    rows: [],
    table: { head: ['File', 'Size (bytes)', 'Hashes'], rows: r.output.segments.map((g) => [g.file, thousands(g.sizeBytes), hashCell(g.hashes)]) },
  });
  const ranges = r.unread.ranges;
  s.push({
    title: 'Unread sectors',
    rows: [],
    text: [ranges.length === 0 ? 'None: every sector imaged was read.' : `${plural(ranges.length, 'range')} of the source, filled with zeros in the image:`],
    ...(ranges.length === 0
      ? {}
      : {
          table: {
            head: ['First byte', 'End byte (excl.)', 'Bytes', 'First sector', 'Last sector', 'Sectors', 'Status'],
            rows: ranges.slice(0, MAX_LISTED_RANGES).map((x) => [
              thousands(x.startByte),
              thousands(x.endByte),
              thousands(x.sizeBytes),
              thousands(x.firstSector),
              thousands(x.lastSector),
              thousands(x.sectorCount),
              x.status,
            ]),
            ...(ranges.length > MAX_LISTED_RANGES
              ? { more: `... and ${plural(ranges.length - MAX_LISTED_RANGES, 'more range')}: all are listed in ${basename}.json.` }
              : {}),
          },
        }),
  });
  s.push({ title: 'Verification', rows: [], text: [verificationSentence(r)] });
  return s;
}

function formatMs(ms: number): string {
  const sec = Math.round(ms / 1000);
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${h}h ${String(m).padStart(2, '0')}m ${String(sec % 60).padStart(2, '0')}s (${thousands(ms)} ms)`;
}
