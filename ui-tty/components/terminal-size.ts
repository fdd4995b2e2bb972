// The panel's size: the live terminal, or a fixed size given by a provider (tests, captures).
import React from 'react';
import { useWindowSize } from 'ink';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export const TerminalSizeContext = React.createContext<TerminalSize | null>(null);

/** The app's header line above every screen, and the key bar at the bottom of each. */
export const HEADER_ROWS = 1;
export const FOOTER_ROWS = 1;

export function useTerminalSize(): TerminalSize {
  const fixed = React.useContext(TerminalSizeContext);
  const live = useWindowSize();
  return fixed ?? live;
}

/** The rows and columns a screen has for its content, between the header and its key bar. */
export function useBodySize(): TerminalSize {
  const { columns, rows } = useTerminalSize();
  return { columns, rows: Math.max(1, rows - HEADER_ROWS - FOOTER_ROWS) };
}
