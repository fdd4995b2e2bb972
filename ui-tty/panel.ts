// The front panel on a running appliance: the App's props are read from the machines' snapshots
// and the store four times a second, and the operator's acts go back as the appliance's events.
// A refused job, or a job or port that stopped with an error, is said in the notice line.
import { join } from 'node:path';
import React from 'react';
import type { ApplianceActor, RunningAppliance } from '../machines/actors/run-appliance.ts';
import { applianceSettings } from '../machines/actors/job-settings.ts';
import { App } from './app.ts';
import type { JobRequest } from './job-request.ts';
import { selectJobs, selectResult } from './select-jobs.ts';
import { selectDriveDetail, selectPorts } from './select-ports.ts';
import type { ApplianceSnapshotLike } from './select-types.ts';

const h = React.createElement;

export const REFRESH_MS = 250;
/** How long a notice (a refusal, an accepted job) stays before the standing banner comes back. */
export const NOTICE_MS = 12_000;

export interface PanelProps {
  readonly appliance: Pick<RunningAppliance, 'actor' | 'env'>;
  /** The header's name ("imagebox demo"). */
  readonly title?: string;
  /** A standing line under the header (the demo says where its images go). */
  readonly banner?: string;
  readonly refreshMs?: number;
  readonly clock?: () => Date;
  onQuit(): void;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `imagesDir/portN-SERIAL-YYYYMMDD-HHMM`, local time; a serial is kept to characters safe in a file name. */
export function destinationFor(imagesDir: string, port: string, serial: string, now: Date): string {
  const safe = serial.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'noserial';
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}`;
  return join(imagesDir, `port${port}-${safe}-${stamp}`);
}

/** The machine's mode for a wizard request: a clone is a recovery onto a drive. */
export function startJobEvent(request: JobRequest, imagesDir: string) {
  return {
    type: 'START_JOB' as const,
    port: request.port,
    mode: request.mode === 'forensic' ? ('forensic' as const) : ('recovery' as const),
    settings: applianceSettings(request, imagesDir),
  };
}

interface Notice {
  readonly text: string;
  readonly until: number;
}

/** Refusals, accepted jobs and crashed actors, as a notice that expires. */
function useNotices(actor: ApplianceActor, clock: () => Date): [Notice | undefined, (text: string) => void] {
  const [notice, setNotice] = React.useState<Notice | undefined>(undefined);
  const say = React.useCallback((text: string) => setNotice({ text, until: clock().getTime() + NOTICE_MS }), [clock]);
  React.useEffect(() => {
    const subs = [
      actor.on('JOB.REFUSED', (e) => say(e.refusal.message)),
      actor.on('JOB.ACCEPTED', (e) => say(`Job ${e.jobId} started on port ${e.port}: j lists the jobs.`)),
    ];
    let lastError = actor.getSnapshot().context.lastError;
    const watch = actor.subscribe((s) => {
      if (s.context.lastError !== undefined && s.context.lastError !== lastError) say(`Stopped with an error: ${s.context.lastError}`);
      lastError = s.context.lastError;
    });
    return () => {
      for (const sub of subs) sub.unsubscribe();
      watch.unsubscribe();
    };
  }, [actor, say]);
  return [notice, say];
}

const systemClock = (): Date => new Date();

export function Panel(props: PanelProps): React.ReactElement {
  const { actor, env } = props.appliance;
  const clock = props.clock ?? systemClock;
  const [, setTick] = React.useState(0);
  const redraw = React.useCallback(() => setTick((n) => n + 1), []);
  React.useEffect(() => {
    const timer = setInterval(redraw, props.refreshMs ?? REFRESH_MS);
    return () => clearInterval(timer);
  }, [redraw, props.refreshMs]);
  const [notice] = useNotices(actor, clock);

  const snapshot: ApplianceSnapshotLike = actor.getSnapshot();
  const ports = selectPorts(snapshot, env.store);
  const jobs = selectJobs(snapshot, env.store);
  const send = (event: Parameters<ApplianceActor['send']>[0]): void => {
    actor.send(event);
    redraw();
  };
  const live = notice !== undefined && notice.until > clock().getTime() ? notice.text : undefined;
  return h(App, {
    ports, jobs,
    title: props.title,
    notice: live ?? props.banner,
    clock: props.clock,
    details: (port) => selectDriveDetail(snapshot, env.store, port),
    results: (jobId) => selectResult(env.store, jobId),
    newJobDestination: (port) => destinationFor(env.imagesDir, port, ports.find((p) => p.port === port)?.serial ?? '', clock()),
    onStartJob: (request) => send(startJobEvent(request, env.imagesDir)),
    onPause: (jobId) => send({ type: 'PAUSE_JOB', jobId }),
    onResume: (jobId) => send({ type: 'RESUME_JOB', jobId }),
    onAbort: (jobId) => send({ type: 'ABORT_JOB', jobId }),
    onQuit: props.onQuit,
  });
}
