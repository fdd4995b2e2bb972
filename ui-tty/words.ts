// Every status as a word (the panel must read without colour) and the colour that goes with it
// (a Linux console has eight).
import type { Health, JobState, PortState, PortView, SectorStatus, WriteBlock } from './view-model.ts';

export type Colour = 'green' | 'yellow' | 'red' | 'blue' | 'cyan' | 'gray' | undefined;

/** Bad news in capitals, so it stands out in monochrome too. */
export const HEALTH_WORDS: Readonly<Record<Health, string>> = {
  healthy: 'healthy',
  watch: 'WATCH',
  failing: 'FAILING',
  unknown: 'unknown',
};

export const HEALTH_COLOURS: Readonly<Record<Health, Colour>> = {
  healthy: 'green',
  watch: 'yellow',
  failing: 'red',
  unknown: 'gray',
};

/** Answers the column "BLOCKED": is the source protected from writes? */
export const WRITE_BLOCK_WORDS: Readonly<Record<WriteBlock, string>> = {
  engaged: 'yes',
  'not-engaged': 'NO',
  unknown: 'unknown',
};

export const WRITE_BLOCK_COLOURS: Readonly<Record<WriteBlock, Colour>> = {
  engaged: 'green',
  'not-engaged': 'red',
  unknown: 'yellow',
};

export const PORT_STATE_WORDS: Readonly<Record<PortState, string>> = {
  identifying: 'identify',
  preflight: 'preflight',
  ready: 'ready',
  busy: 'busy',
  faulted: 'FAULTED',
  gone: 'gone',
};

export const JOB_STATE_WORDS: Readonly<Record<JobState, string>> = {
  preflight: 'preflight',
  acquiring: 'acquiring',
  verifying: 'verifying',
  reporting: 'reporting',
  done: 'done',
  paused: 'PAUSED',
  aborted: 'ABORTED',
  failed: 'FAILED',
};

export const JOB_STATE_COLOURS: Readonly<Record<JobState, Colour>> = {
  preflight: 'cyan',
  acquiring: 'cyan',
  verifying: 'cyan',
  reporting: 'cyan',
  done: 'green',
  paused: 'yellow',
  aborted: 'red',
  failed: 'red',
};

export const STATUS_COLOURS: Readonly<Record<SectorStatus, Colour>> = {
  '+': 'green',
  '?': 'gray',
  '*': 'yellow',
  '/': 'blue',
  '-': 'red',
};

/** The HPA/DCO column: '-' when the drive shows all of itself. */
export function hiddenWord(port: Pick<PortView, 'hpa' | 'dco'>): string {
  if (port.hpa && port.dco) return 'HPA+DCO';
  if (port.hpa) return 'HPA';
  if (port.dco) return 'DCO';
  return '-';
}
