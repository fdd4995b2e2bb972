// The panel on this terminal with the sample drives and jobs: `node ui-tty/demo.ts`. Pause, resume,
// abort and new jobs change the sample jobs, so every screen and key can be tried without hardware.
import React from 'react';
import { render } from 'ink';
import { App } from './app.ts';
import type { JobRequest } from './job-request.ts';
import { SAMPLE_DETAILS, SAMPLE_JOBS, SAMPLE_PORTS, SAMPLE_RESULTS } from './samples.ts';
import type { JobState, JobView } from './view-model.ts';

const h = React.createElement;

function Demo({ onQuit }: { onQuit(): void }): React.ReactElement {
  const [jobs, setJobs] = React.useState<readonly JobView[]>(SAMPLE_JOBS);
  const setState = (jobId: string, state: JobState, note: Partial<JobView> = {}): void =>
    setJobs((all) => all.map((j) => (j.id === jobId ? { ...j, state, pauseReason: undefined, ...note } : j)));
  const start = (r: JobRequest): void => {
    const port = SAMPLE_PORTS.find((p) => p.port === r.port);
    const size = port?.capacityBytes ?? 0;
    setJobs((all) => [...all, {
      id: `job-${all.length + 1}`, port: r.port, mode: r.mode, state: 'preflight', phase: 'preflight', pct: 0,
      rescued: 0, size, rateBytesPerSec: 0, etaMs: null, errors: 0, map: [{ status: '?', bytes: size }],
      events: [`started ${r.mode} to ${r.destination}`],
    }]);
  };
  return h(App, {
    ports: SAMPLE_PORTS, jobs,
    details: (port) => SAMPLE_DETAILS[port], results: (jobId) => SAMPLE_RESULTS[jobId],
    onStartJob: start,
    onPause: (id) => setState(id, 'paused', { pauseReason: 'paused by the operator' }),
    onResume: (id) => setState(id, 'acquiring'),
    onAbort: (id) => setState(id, 'aborted', { message: 'aborted by the operator' }),
    onQuit,
  });
}

const instance = render(h(Demo, { onQuit: () => instance.unmount() }), { alternateScreen: true });
await instance.waitUntilExit();
