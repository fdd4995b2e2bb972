// Text for a console that may have no colour and only ASCII glyphs: fixed-width cells, wrapping,
// capacities the way drive labels print them.

/** Pad or cut to exactly `width` characters; a cut ends in '~'. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '~' : `${text.slice(0, width - 1)}~`;
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** Cut to at most `width` characters, without padding. */
export function clip(text: string, width: number): string {
  return text.length > width ? fit(text, width) : text;
}

/** Break at spaces into lines of at most `width`; words longer than a line are cut into pieces. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  const room = (): number => width - (lines.length === 0 ? 0 : indent.length);
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (rest !== '') {
      const gap = line === '' ? '' : ' ';
      if (line.length + gap.length + rest.length <= room()) {
        line += gap + rest;
        rest = '';
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, room()));
        rest = rest.slice(room());
      }
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units with three significant digits, as on a drive's label: "500 GB", "2.00 TB". */
export function formatCapacity(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  let i = 0;
  let v = bytes;
  while (v >= 999.5 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  if (i === 0) return `${v} B`;
  return `${v.toPrecision(3)} ${UNITS[i]}`;
}

/** Right-align `right` after `left` within `width`, cutting `left` when both do not fit. */
export function spread(left: string, right: string, width: number): string {
  const room = width - right.length - 1;
  if (room <= 0) return clip(right, width);
  return `${fit(left, room)} ${right}`;
}
