// The front panel: a header line, then one screen at a time. Data comes in as plain props and
// every act goes out through a callback; the panel itself holds only where the operator is.
import React from 'react';
import { Box, Text, useInput } from 'ink';
import { ScreenFrame } from './components/screen-frame.ts';
import { useTerminalSize } from './components/terminal-size.ts';
import type { JobRequest } from './job-request.ts';
import { DriveDetailScreen } from './screens/drive-detail.ts';
import { DrivesScreen } from './screens/drives.ts';
import { JobListScreen } from './screens/job-list.ts';
import { JobScreen } from './screens/job.ts';
import { NewJobScreen } from './screens/new-job.ts';
import { ResultsScreen } from './screens/results.ts';
import { spread } from './text.ts';
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
            port, onCancel: toDrives,
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
  return h(
    Box,
    { flexDirection: 'column', width: columns, height: rows },
    h(Text, { inverse: true, bold: true }, spread(` imagebox | ${placeTitle(place)}`, status, columns)),
    // A key per place: a screen starts afresh (selection, scroll) each time it is entered.
    h(React.Fragment, { key: JSON.stringify(place) }, screen),
  );
}
