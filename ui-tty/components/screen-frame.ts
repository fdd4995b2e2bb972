// Every screen's frame: its content in the rows below the app header, its key bar at the bottom.
import React from 'react';
import { Box } from 'ink';
import { KeyBar, type KeyHint } from './key-bar.ts';
import { HEADER_ROWS, useTerminalSize } from './terminal-size.ts';

const h = React.createElement;

export interface ScreenFrameProps {
  readonly keys: readonly KeyHint[];
  readonly prompt?: string | null;
  readonly children?: React.ReactNode;
}

export function ScreenFrame({ keys, prompt, children }: ScreenFrameProps): React.ReactElement {
  const { columns, rows } = useTerminalSize();
  return h(
    Box,
    { flexDirection: 'column', width: columns, height: Math.max(2, rows - HEADER_ROWS) },
    h(Box, { flexDirection: 'column', flexGrow: 1, overflow: 'hidden' }, children),
    h(KeyBar, { keys, width: columns, prompt }),
  );
}
