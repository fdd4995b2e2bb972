// A finished job's report as text, scrolled with the arrows and PgUp/PgDn.
import React from 'react';
import { useInput } from 'ink';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { ScrollView, type Line } from '../components/scroll-view.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { wrap } from '../text.ts';
import type { ResultView } from '../view-model.ts';

const h = React.createElement;

export interface ResultsScreenProps {
  readonly jobId: string;
  readonly result: ResultView | undefined;
  onBack(): void;
}

const KEYS: readonly KeyHint[] = [['Up/Down', 'scroll'], ['PgUp/PgDn', 'page'], ['Home/End', 'ends'], ['Esc', 'back']];

/** Report lines wider than the screen continue on the next line, indented, rather than being cut. */
export function reportLines(result: ResultView, width: number): Line[] {
  return result.lines.flatMap((text) => {
    if (text.length <= width) return [{ text }];
    const lead = text.slice(0, Math.min(text.length - text.trimStart().length, Math.floor(width / 2)));
    return wrap(text.trimStart(), width - lead.length, '  ').map((t) => ({ text: lead + t }));
  });
}

export function ResultsScreen({ jobId, result, onBack }: ResultsScreenProps): React.ReactElement {
  const { columns, rows } = useBodySize();
  useInput((_input, key) => {
    if (key.escape) onBack();
  });
  const lines = result ? reportLines(result, columns) : [{ text: `No report for ${jobId} yet.` }];
  return h(ScreenFrame, { keys: KEYS }, h(ScrollView, { lines, width: columns, height: rows }));
}
