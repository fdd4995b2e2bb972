// The front panel: a header line, then one screen at a time. Data comes in as plain props and
// every act goes out through a callback; the panel itself holds only where the operator is.
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { ScreenFrame } from './components/screen-frame.ts';
import { TerminalSizeContext, useTerminalSize } from './components/terminal-size.ts';
import type { JobRequest } from './job-request.ts';
import { DriveDetailScreen } from './screens/drive-detail.ts';
import { DrivesScreen } from './screens/drives.ts';
import { JobListScreen } from './screens/job-list.ts';
import { JobScreen } from './screens/job.ts';
import { NewJobScreen } from './screens/new-job.ts';
import { ResultsScreen } from './screens/results.ts';
import { clip, spread, wrap } from './text.ts';
import { isJobActive, type DriveDetailView, type JobView, type PortView, type ResultView } from './view-model.ts';

const h = React.createElement;

export interface AppProps {
  readonly ports: readonly PortView[];
  readonly jobs: readonly JobView[];
  /** A port's drive in full; undefined when there is none (yet). */
  details(port: string): DriveDetailView | undefined;
  /** A job's report; undefined until it has one. */
  results(jobId: string): ResultView | undefined;
  onStartJob(request: JobRequest): void;
  onPause(jobId: string): void;
  onResume(jobId: string): void;
  onAbort(jobId: string): void;
  onQuit(): void;
  /** The header clock (default: the system's); tests and captures fix it. */
  readonly clock?: () => Date;
  /** The header's name (default 'imagebox'). */
  readonly title?: string;
  /** Under the header, at most two lines: what the operator must know now (a refused job, where the demo writes). */
  readonly notice?: string;
  /** Where the wizard proposes a new job's image on this port; without it, the operator types one. */
  newJobDestination?(port: string): string;
}

export type Place =
  | { readonly screen: 'drives' }
  | { readonly screen: 'detail'; readonly port: string }
  | { readonly screen: 'new-job'; readonly port: string }
  | { readonly screen: 'jobs' }
  | { readonly screen: 'job'; readonly jobId: string }
  | { readonly screen: 'results'; readonly jobId: string };

export function placeTitle(place: Place): string {
  switch (place.screen) {
    case 'drives': return 'Drives';
    case 'detail': return `Drive on port ${place.port}`;
    case 'new-job': return 'New job';
    case 'jobs': return 'Jobs';
    case 'job': return `Job ${place.jobId}`;
    case 'results': return `Report of ${place.jobId}`;
  }
}

const two = (n: number): string => String(n).padStart(2, '0');

export function clockText(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function useNow(clock: () => Date): Date {
  const [now, setNow] = React.useState(clock);
  React.useEffect(() => {
    const timer = setInterval(() => setNow(clock()), 1000);
    return () => clearInterval(timer);
  }, [clock]);
  return now;
}

const systemClock = (): Date => new Date();

/** Shown when what a screen was about (a port, a job) has gone away. */
function Gone({ text, onBack }: { text: string; onBack(): void }): React.ReactElement {
  useInput((_input, key) => {
    if (key.escape) onBack();
  });
  return h(ScreenFrame, { keys: [['Esc', 'back']] }, h(Text, null, text));
}

const NOTICE_ROWS = 2;

function noticeLines(notice: string | undefined, columns: number): string[] {
  if (!notice) return [];
  const lines = wrap(notice, columns);
  if (lines.length <= NOTICE_ROWS) return lines;
  return [...lines.slice(0, NOTICE_ROWS - 1), clip(lines.slice(NOTICE_ROWS - 1).join(' '), columns)];
}

export function App(props: AppProps): React.ReactElement {
  const { ports, jobs } = props;
  const { columns, rows } = useTerminalSize();
  const now = useNow(props.clock ?? systemClock);
  const [place, setPlace] = React.useState<Place>({ screen: 'drives' });
  const running = jobs.filter((j) => isJobActive(j.state)).length;
  const toDrives = (): void => setPlace({ screen: 'drives' });
  const toJobs = (): void => setPlace({ screen: 'jobs' });

  let screen: React.ReactElement;
  switch (place.screen) {
    case 'drives':
      screen = h(DrivesScreen, {
        ports, runningJobs: running, onJobs: toJobs, onQuit: props.onQuit,
        onOpen: (port) => setPlace({ screen: 'detail', port }),
        onNewJob: (port) => setPlace({ screen: 'new-job', port }),
      });
      break;
    case 'detail':
      screen = h(DriveDetailScreen, { port: place.port, detail: props.details(place.port), onBack: toDrives });
      break;
    case 'new-job': {
      const port = ports.find((p) => p.port === place.port);
      screen = port
        ? h(NewJobScreen, {
            port, onCancel: toDrives, proposedDestination: props.newJobDestination?.(port.port),
            onSubmit: (request) => {
              props.onStartJob(request);
              toJobs();
            },
          })
        : h(Gone, { text: `Port ${place.port} has no drive any more.`, onBack: toDrives });
      break;
    }
    case 'jobs':
      screen = h(JobListScreen, { jobs, onBack: toDrives, onOpen: (jobId) => setPlace({ screen: 'job', jobId }) });
      break;
    case 'job': {
      const { jobId } = place;
      screen = h(JobScreen, {
        jobId, job: jobs.find((j) => j.id === jobId), hasReport: props.results(jobId) !== undefined,
        onPause: props.onPause, onResume: props.onResume, onAbort: props.onAbort, onBack: toJobs,
        onReport: () => setPlace({ screen: 'results', jobId }),
      });
      break;
    }
    case 'results': {
      const { jobId } = place;
      screen = h(ResultsScreen, { jobId, result: props.results(jobId), onBack: () => setPlace({ screen: 'job', jobId }) });
      break;
    }
  }
  const jobsText = running === 0 ? 'no job running' : running === 1 ? '1 job running' : `${running} jobs running`;
  const status = `${jobsText}  ${clockText(now)}`;
  const notice = noticeLines(props.notice, columns);
  // The notice lines are taken from the screen below, which sizes itself from this context.
  const below = { columns, rows: Math.max(3, rows - notice.length) };
  return h(
    Box,
    { flexDirection: 'column', width: columns, height: rows },
    h(Text, { inverse: true, bold: true }, spread(` ${props.title ?? 'imagebox'} | ${placeTitle(place)}`, status, columns)),
    ...notice.map((line, i) => h(Text, { key: `notice${i}`, color: 'yellow', bold: true }, line)),
    h(
      TerminalSizeContext.Provider,
      { value: below },
      // A key per place: a screen starts afresh (selection, scroll) each time it is entered.
      h(React.Fragment, { key: JSON.stringify(place) }, screen),
    ),
  );
}
