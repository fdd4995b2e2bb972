// The front panel full-screen on this terminal, over an appliance started on `env`. It returns once
// the operator quits (q, Ctrl-C) or the process is told to stop (SIGTERM, SIGHUP): running jobs are
// paused first, so their mapfiles are saved and a new job on the same drive resumes from them.
import { mkdir } from 'node:fs/promises';
import React from 'react';
import { render } from 'ink';
import type { Logger } from '../controller/logger.ts';
import type { ApplianceEnv } from '../machines/actors/appliance-env.ts';
import { runAppliance } from '../machines/actors/run-appliance.ts';
import type { ApplianceInput } from '../machines/appliance.machine.ts';
import { Panel } from './panel.ts';

export interface RunPanelOptions {
  readonly env: ApplianceEnv;
  /** The header's name ("imagebox demo"). */
  readonly title?: string;
  /** A standing line under the header (where the demo writes). */
  readonly banner?: string;
  readonly input?: ApplianceInput;
  /** The panel's own log (default: the env's). */
  readonly log?: Logger;
  /** Where "pausing jobs" is said once the screen is gone (default: stdout). */
  readonly out?: NodeJS.WritableStream;
}

const STOP_SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

export async function runPanel(opts: RunPanelOptions): Promise<void> {
  const { env } = opts;
  const log = (opts.log ?? env.log).child({ component: 'panel' });
  await mkdir(env.imagesDir, { recursive: true });
  const appliance = runAppliance(env, opts.input);
  const instance = render(
    React.createElement(Panel, { appliance, title: opts.title, banner: opts.banner, onQuit: () => instance.unmount() }),
    // Ink draws nothing but a last frame at exit when it believes it runs in CI (CI=true in the
    // environment, as on every CI runner): the panel was blank there. Its callers check for a TTY.
    { alternateScreen: true, interactive: Boolean(process.stdout.isTTY) },
  );
  const stop = (): void => instance.unmount();
  for (const sig of STOP_SIGNALS) process.once(sig, stop);
  log.info({ imagesDir: env.imagesDir, title: opts.title, columns: process.stdout.columns, rows: process.stdout.rows }, 'panel started');
  appliance.ready.then(
    () => log.info({ ports: Object.keys(appliance.actor.getSnapshot().context.ports) }, 'first drive listing read'),
    (err: unknown) => log.error({ err }, 'drive listing failed'),
  );
  try {
    await instance.waitUntilExit();
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, stop);
    const running = Object.values(appliance.actor.getSnapshot().context.jobs).filter(({ ref }) => ref.getSnapshot().status === 'active');
    log.info({ runningJobs: running.length }, 'panel quit: stopping the appliance');
    if (running.length > 0) (opts.out ?? process.stdout).write(`imagebox: pausing ${running.length} running job(s) and saving their mapfiles...\n`);
    await appliance.stop();
    log.info('panel stopped');
  }
}
