// Every job, running or finished, with its state and progress; Enter opens one.
import React from 'react';
import { Text, useInput } from 'ink';
import { formatBytes, formatDuration, formatRate } from '../../controller/units.ts';
import type { KeyHint } from '../components/key-bar.ts';
import { ScreenFrame } from '../components/screen-frame.ts';
import { table, type Column } from '../components/table.ts';
import { useBodySize } from '../components/terminal-size.ts';
import { isJobActive, type JobView } from '../view-model.ts';
import { JOB_STATE_COLOURS, JOB_STATE_WORDS } from '../words.ts';

const h = React.createElement;

export interface JobListScreenProps {
  readonly jobs: readonly JobView[];
  onOpen(jobId: string): void;
  onBack(): void;
}

const COLUMNS: readonly Column<JobView>[] = [
  { header: 'JOB', width: 'flex', text: (j) => j.id },
  { header: 'PORT', width: 4, text: (j) => j.port },
  { header: 'MODE', width: 9, text: (j) => j.mode },
  { header: 'STATE', width: 9, text: (j) => JOB_STATE_WORDS[j.state], colour: (j) => JOB_STATE_COLOURS[j.state] },
  { header: 'RESCUED', width: 7, align: 'right', text: (j) => `${j.pct.toFixed(1)}%` },
  { header: 'SIZE', width: 8, align: 'right', text: (j) => formatBytes(j.size) },
  { header: 'RATE', width: 11, align: 'right', text: (j) => (isJobActive(j.state) ? formatRate(j.rateBytesPerSec) : '') },
  {
    header: 'LEFT', width: 9, align: 'right',
    text: (j) => (!isJobActive(j.state) ? '' : j.etaMs === null ? 'unknown' : formatDuration(j.etaMs)),
  },
];

const KEYS: readonly KeyHint[] = [['Up/Down', 'select'], ['Enter', 'open'], ['Esc', 'back']];

export function JobListScreen({ jobs, onOpen, onBack }: JobListScreenProps): React.ReactElement {
  const { columns, rows } = useBodySize();
  const [selected, setSelected] = React.useState(0);
  const index = Math.min(selected, Math.max(0, jobs.length - 1));
  useInput((_input, key) => {
    if (key.escape) onBack();
    else if (key.upArrow) setSelected(Math.max(0, index - 1));
    else if (key.downArrow) setSelected(Math.min(jobs.length - 1, index + 1));
    else if (key.return && jobs[index]) onOpen(jobs[index].id);
  });
  const body = jobs.length === 0
    ? h(Text, null, 'No jobs yet. Select a drive on the drives screen and press n.')
    : table({ columns: COLUMNS, rows: jobs, width: columns, height: rows - 1, selected: index, rowKey: (j) => j.id });
  return h(ScreenFrame, { keys: KEYS }, body);
}
