// One job, live: state, phase, progress, rate and time left, what is left in each status, the
// sector map and the latest events. p/r/a pause, resume and abort it (abort asks first).
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { formatBytes, formatDuration, formatRate } from '../../controller/units.ts';
import { useConfirm } from '../components/confirm.ts';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { SectorMapView } from '../components/sector-map-view.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { statusTotals } from '../sector-grid.ts';
import { clip } from '../text.ts';
import { isJobActive, type JobView } from '../view-model.ts';
import { JOB_STATE_COLOURS, JOB_STATE_WORDS } from '../words.ts';

const h = React.createElement;

export interface JobScreenProps {
  readonly jobId: string;
  /** Undefined when the job is not (any more) in the list. */
  readonly job: JobView | undefined;
  /** A report exists for this job: `v` opens it. */
  readonly hasReport: boolean;
  onPause(jobId: string): void;
  onResume(jobId: string): void;
  onAbort(jobId: string): void;
  onReport(jobId: string): void;
  onBack(): void;
}

/** Which of p, r, a make sense in this state. */
export function jobKeys(job: JobView | undefined, hasReport: boolean): KeyHint[] {
  const keys: KeyHint[] = [];
  if (job && isJobActive(job.state)) {
    keys.push(job.state === 'paused' ? ['r', 'resume'] : ['p', 'pause'], ['a', 'abort']);
  }
  if (hasReport) keys.push(['v', 'report']);
  keys.push(['Esc', 'back']);
  return keys;
}

/** Lines above the grid, and the legend line below it. */
const FIXED_ROWS = 5;

export function JobScreen(props: JobScreenProps): React.ReactElement {
  const { job, jobId, hasReport } = props;
  const { columns, rows } = useBodySize();
  const confirm = useConfirm();
  const keys = jobKeys(job, hasReport);
  const allowed = (k: string): boolean => keys.some(([key]) => key === k);

  useInput((input, key) => {
    if (confirm.question) return confirm.answer(input);
    if (key.escape) props.onBack();
    else if (input === 'p' && allowed('p')) props.onPause(jobId);
    else if (input === 'r' && allowed('r')) props.onResume(jobId);
    else if (input === 'v' && allowed('v')) props.onReport(jobId);
    else if (input === 'a' && allowed('a')) {
      confirm.ask(`Abort ${jobId}? Its files stay and it can be resumed. y = abort, other key = keep`, () => props.onAbort(jobId));
    }
  });

  if (!job) return h(ScreenFrame, { keys }, h(Text, null, `No job ${jobId}.`));

  const line = (key: string, text: string, colour?: Parameters<typeof Text>[0]['color']): React.ReactElement =>
    h(Text, { key, color: colour }, clip(text, columns));
  const t = job.totals ?? statusTotals(job.map);
  const note = job.state === 'paused' ? job.pauseReason : job.message;
  const eventRows = Math.min(job.events.length, Math.max(1, Math.floor(rows / 5)));
  const gridRows = Math.max(1, rows - FIXED_ROWS - eventRows - (note ? 1 : 0));
  const state = JOB_STATE_WORDS[job.state];
  return h(
    ScreenFrame,
    { keys, prompt: confirm.question },
    h(Text, { key: 'title' }, clip(`${job.id}  port ${job.port}  ${job.mode}  `, columns),
      h(Text, { color: JOB_STATE_COLOURS[job.state], bold: true }, state)),
    note ? line('note', `${job.state === 'paused' ? 'Paused' : 'Note'}: ${note}`, JOB_STATE_COLOURS[job.state]) : null,
    line('progress', `Phase ${job.phase}   Rescued ${job.pct.toFixed(2)}%  ${formatBytes(job.rescued)} of ${formatBytes(job.size)}`),
    line('rate', `Rate ${formatRate(job.rateBytesPerSec)}   Remaining ${job.etaMs === null ? 'unknown' : formatDuration(job.etaMs)}   Read errors ${job.errors}`),
    line('left', `Non-tried ${formatBytes(t['?'])}  non-trimmed ${formatBytes(t['*'])}  non-scraped ${formatBytes(t['/'])}  bad ${formatBytes(t['-'])}`),
    h(SectorMapView, { key: 'map', map: job.map, columns, rows: gridRows }),
    h(Box, { key: 'events', flexDirection: 'column' }, ...job.events.slice(-eventRows).map((e, i) => line(String(i), e))),
  );
}
