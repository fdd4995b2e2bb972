// Renders a panel element at a fixed terminal size and reads it back as plain text, hiding the
// test library: tests see lines of text and send keys, nothing else.
import React from 'react';
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { TerminalSizeContext, type TerminalSize } from '../../ui-tty/components/terminal-size.ts';

export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  space: ' ',
  backspace: '\x7f',
  pageUp: '\x1b[5~',
  pageDown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
} as const;

export interface Rendered {
  /** The last frame, without colour or other escape codes. */
  text(): string;
  lines(): string[];
  /** Send keys one at a time (a lone Esc waits out the parser's escape-sequence delay). */
  press(...keys: string[]): Promise<void>;
  /** Type text a character at a time. */
  type(text: string): Promise<void>;
  rerender(element: React.ReactElement): Promise<void>;
  /** Wait until the frame contains `text`; fails with the frame after `ms`. */
  waitFor(text: string, ms?: number): Promise<void>;
  unmount(): void;
}

export const CONSOLE: TerminalSize = { columns: 80, rows: 25 };

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function renderPanel(element: React.ReactElement, size: TerminalSize = CONSOLE): Promise<Rendered> {
  const wrap = (el: React.ReactElement): React.ReactElement =>
    React.createElement(TerminalSizeContext.Provider, { value: size }, el);
  const instance = render(wrap(element));
  const text = (): string => stripVTControlCharacters(instance.lastFrame() ?? '');
  // Let React commit and Ink write after input; a lone Esc is held 20 ms by Ink's parser.
  const settle = async (ms: number): Promise<void> => {
    await pause(ms);
    let frames = instance.frames.length;
    for (;;) {
      await pause(10);
      if (instance.frames.length === frames) return;
      frames = instance.frames.length;
    }
  };
  await settle(5);
  const rendered: Rendered = {
    text,
    lines: () => text().split('\n'),
    async press(...keys) {
      for (const key of keys) {
        instance.stdin.write(key);
        await settle(key === KEYS.esc ? 50 : 5);
      }
    },
    async type(chars) {
      await rendered.press(...chars);
    },
    async rerender(el) {
      instance.rerender(wrap(el));
      await settle(5);
    },
    async waitFor(wanted, ms = 2000) {
      const until = Date.now() + ms;
      while (!text().includes(wanted)) {
        if (Date.now() > until) throw new Error(`'${wanted}' not shown in:\n${text()}`);
        await pause(10);
      }
    },
    unmount: () => instance.unmount(),
  };
  return rendered;
}

/** The widest line and the number of lines of a frame. */
export function frameSize(text: string): { columns: number; rows: number } {
  const lines = text.split('\n');
  return { columns: Math.max(...lines.map((l) => l.length)), rows: lines.length };
}
