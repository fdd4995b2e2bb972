// One drive in full: the verdict with its reasons and advice first (what the operator must act
// on), then hidden areas, identity and the SMART table, scrolled when longer than the screen.
import React from 'react';
import { useInput } from 'ink';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { ScrollView, type Line } from '../components/scroll-view.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { fit, wrap } from '../text.ts';
import type { DriveDetailView, SmartRow } from '../view-model.ts';
import { HEALTH_COLOURS, HEALTH_WORDS, type Colour } from '../words.ts';

const h = React.createElement;

export interface DriveDetailScreenProps {
  readonly port: string;
  /** Undefined when the port has no drive (any more). */
  readonly detail: DriveDetailView | undefined;
  onBack(): void;
}

const KEYS: readonly KeyHint[] = [['Up/Down', 'scroll'], ['PgUp/PgDn', 'page'], ['Esc', 'back']];

const FLAG_WORDS: Readonly<Record<SmartRow['flag'], string>> = { ok: '', watch: 'WATCH', failing: 'FAILING' };
const FLAG_COLOURS: Readonly<Record<SmartRow['flag'], Colour>> = { ok: undefined, watch: 'yellow', failing: 'red' };

function heading(text: string): Line {
  return { text, bold: true };
}

function smartLines(rows: readonly SmartRow[], width: number): Line[] {
  const raw = Math.max(6, width - 2 - 3 - 24 - 5 - 6 - 7 - 5);
  const line = (id: string, name: string, value: string, thr: string, flag: string, rawText: string): string =>
    `  ${fit(id, 3, 'right')} ${fit(name, 24)} ${fit(value, 5)} ${fit(thr, 6)} ${fit(flag, 7)} ${fit(rawText, raw)}`.trimEnd();
  return [
    { text: line('ID', 'ATTRIBUTE', 'VALUE', 'THRESH', 'FLAG', 'RAW'), bold: true },
    ...rows.map((r) => ({
      text: line(r.id, r.name, r.value, r.threshold, FLAG_WORDS[r.flag], r.raw),
      colour: FLAG_COLOURS[r.flag],
    })),
  ];
}

/** The detail as lines of at most `width` characters. */
export function detailLines(d: DriveDetailView, width: number): Line[] {
  const colour = HEALTH_COLOURS[d.verdict];
  const items = (texts: readonly string[], mark: (i: number) => string, c?: Colour): Line[] =>
    texts.flatMap((t, i) => wrap(`${mark(i)}${t}`, width - 2, '   ').map((text) => ({ text: `  ${text}`, colour: c })));
  const labelWidth = Math.max(0, ...d.identity.map((r) => r.label.length));
  return [
    { text: `Verdict: ${HEALTH_WORDS[d.verdict]}`, colour, bold: true },
    ...items(d.reasons, () => '- ', colour),
    ...(d.advice.length > 0 ? [heading('Advice'), ...items(d.advice, (i) => `${i + 1}. `)] : []),
    heading('Hidden areas'),
    ...items(d.hiddenAreas.length > 0 ? d.hiddenAreas : ['not checked'], () => ''),
    heading('Identity'),
    ...d.identity.map((r) => ({ text: `  ${fit(r.label, labelWidth)}  ${r.value}` })),
    heading('SMART attributes'),
    ...(d.smart.length > 0 ? smartLines(d.smart, width) : [{ text: '  none reported' }]),
  ];
}

export function DriveDetailScreen({ port, detail, onBack }: DriveDetailScreenProps): React.ReactElement {
  const { columns, rows } = useBodySize();
  useInput((_input, key) => {
    if (key.escape) onBack();
  });
  const lines: Line[] = detail ? detailLines(detail, columns) : [{ text: `No details for port ${port}: no drive, or not identified yet.` }];
  return h(ScreenFrame, { keys: KEYS }, h(ScrollView, { lines, width: columns, height: rows }));
}
