// The case metadata as EnCase 6 writes it: a `header2` text (UTF-16LE with a BOM, LF lines, with
// the main, srce and sub categories) and a `header` text (ASCII, CRLF lines, main only). Both are
// tab-separated: a line of value identifiers, then a line of values in the same order.

import type { E01Metadata } from './e01-types.ts';

/** EnCase's limits on these two values; longer ones are cut so EnCase shows what we wrote. */
const VERSION_LIMIT = 11;
const PLATFORM_LIMIT = 23;

const HEADER2_KEYS = ['a', 'c', 'n', 'e', 't', 'md', 'sn', 'av', 'ov', 'm', 'u', 'p', 'dc'];
const HEADER_KEYS = ['c', 'n', 'a', 'e', 't', 'av', 'ov', 'm', 'u', 'p'];

/** The srce and sub categories EnCase 6 writes when it has no sources or subjects to list. */
const HEADER2_TAIL =
  'srce\n0\t1\np\tn\tid\tev\ttb\tlo\tpo\tah\tgu\taq\n0\t0\n\t\t\t\t\t-1\t-1\t\t\t\n\n' +
  'sub\n0\t1\np\tn\tid\tnu\tco\tgu\n0\t0\n\t\t\t\t1\t\n\n';

export function buildHeader2(m: E01Metadata): string {
  const v = values(m);
  v.m = epoch(m.acquiredAt);
  v.u = epoch(m.systemDate);
  const row = HEADER2_KEYS.map((k) => v[k] ?? '');
  return `3\nmain\n${HEADER2_KEYS.join('\t')}\n${row.join('\t')}\n\n${HEADER2_TAIL}`;
}

/** The ASCII header: characters outside ASCII become '?', since readers take it as a code page. */
export function buildHeader(m: E01Metadata): string {
  const v = values(m);
  v.m = encaseDate(m.acquiredAt);
  v.u = encaseDate(m.systemDate);
  const row = HEADER_KEYS.map((k) => v[k] ?? '');
  return `1\r\nmain\r\n${HEADER_KEYS.join('\t')}\r\n${row.join('\t')}\r\n\r\n`.replace(/[^\x00-\x7f]/g, '?');
}

function values(m: E01Metadata): Record<string, string> {
  return {
    a: clean(m.description),
    c: clean(m.caseNumber),
    n: clean(m.evidenceNumber),
    e: clean(m.examiner),
    t: clean(m.notes),
    md: clean(m.model),
    sn: clean(m.serial),
    av: clean(m.softwareVersion ?? m.acquisitionSoftware).slice(0, VERSION_LIMIT),
    ov: clean(m.os).slice(0, PLATFORM_LIMIT),
    p: '0',
  };
}

/** Tabs and line breaks would shift every later value into the wrong column. */
function clean(s: string | undefined): string {
  return (s ?? '').replace(/[\t\r\n]+/g, ' ');
}

function epoch(d: Date | undefined): string {
  return d ? String(Math.floor(d.getTime() / 1000)) : '';
}

/** "2026 11 22 0 59 17", local time, unpadded, as EnCase and libewf write it. */
function encaseDate(d: Date | undefined): string {
  if (!d) return '';
  return [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()].join(' ');
}

/** Reads the main category of either text back into metadata; unknown identifiers are ignored. */
export function parseHeaderText(text: string): E01Metadata {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const at = lines.indexOf('main');
  if (at < 0 || at + 2 >= lines.length) return {};
  const keys = lines[at + 1].split('\t');
  const vals = lines[at + 2].split('\t');
  const get = (k: string): string | undefined => {
    const i = keys.indexOf(k);
    const s = i >= 0 ? vals[i] : undefined;
    return s === undefined || s === '' ? undefined : s;
  };
  const out: E01Metadata = {};
  const set = <K extends keyof E01Metadata>(k: K, v: E01Metadata[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('description', get('a'));
  set('caseNumber', get('c'));
  set('evidenceNumber', get('n'));
  set('examiner', get('e'));
  set('notes', get('t'));
  set('model', get('md'));
  set('serial', get('sn'));
  set('softwareVersion', get('av'));
  set('os', get('ov'));
  set('acquiredAt', parseDate(get('m')));
  set('systemDate', parseDate(get('u')));
  return out;
}

/** header2 holds Unix seconds; header holds "Y M D h m s" in local time. */
function parseDate(s: string | undefined): Date | undefined {
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return new Date(Number(s) * 1000);
  const p = s.trim().split(/\s+/).map(Number);
  if (p.length !== 6 || p.some((n) => !Number.isInteger(n))) return undefined;
  return new Date(p[0], p[1] - 1, p[2], p[3], p[4], p[5]);
}
