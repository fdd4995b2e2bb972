// Text captures of the panel for docs/operator-guide.md: the app with the sample data on an 80x25
// console, driven by key presses. `node test/ui-tty/capture.ts --write` rewrites the guide's
// capture blocks; test/ui-tty/operator-guide.test.ts fails when the guide and the panel differ.
import React from 'react';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { App } from '../../ui-tty/app.ts';
import { SAMPLE_DETAILS, SAMPLE_JOBS, SAMPLE_PORTS, SAMPLE_RESULTS } from '../../ui-tty/samples.ts';
import { KEYS, renderPanel } from './render.ts';

const { down, enter } = KEYS;

/** Each capture: the keys pressed from the drives screen to reach it. */
export const CAPTURES: Readonly<Record<string, readonly string[]>> = {
  drives: [down],
  'drive-detail': [down, enter],
  'wizard-mode': ['n'],
  'wizard-destination': ['n', enter, '/mnt/evidence/case-0412/ev03.E01'],
  'wizard-forensic': ['n', enter, '/mnt/evidence/case-0412/ev03.E01', enter, down, down, down, down, '0412', down, 'EV-03', down, 'R. Lindqvist'],
  'wizard-recovery': ['n', enter, '/mnt/evidence/case-0412/ev03.E01', enter, enter],
  'wizard-confirm': ['n', enter, '/mnt/evidence/case-0412/ev03.E01', enter, down, down, down, down, '0412', down, 'EV-03', down, 'R. Lindqvist', enter, enter],
  jobs: ['j'],
  job: ['j', enter],
  'job-abort': ['j', enter, 'a'],
  results: ['j', down, enter, 'v'],
  'quit-confirm': ['q'],
};

const noop = (): void => {};

export async function capture(keys: readonly string[]): Promise<string> {
  const screen = await renderPanel(React.createElement(App, {
    ports: SAMPLE_PORTS, jobs: SAMPLE_JOBS,
    details: (port: string) => SAMPLE_DETAILS[port], results: (jobId: string) => SAMPLE_RESULTS[jobId],
    onStartJob: noop, onPause: noop, onResume: noop, onAbort: noop, onQuit: noop,
    clock: () => new Date(2025, 10, 22, 11, 24, 7),
  }));
  await screen.press(...keys);
  const text = screen.lines().map((l) => l.trimEnd()).join('\n');
  screen.unmount();
  return text;
}

const BLOCK = /<!-- capture ([\w-]+) -->\n```text\n(?:[\s\S]*?\n)??```(?=\n|$)/g;

/** The guide with every capture block holding the panel as it draws now. */
export async function refreshGuide(guide: string): Promise<string> {
  const shots = new Map<string, string>();
  for (const [name, keys] of Object.entries(CAPTURES)) shots.set(name, await capture(keys));
  return guide.replace(BLOCK, (block, name: string) => {
    const shot = shots.get(name);
    return shot === undefined ? block : `<!-- capture ${name} -->\n\`\`\`text\n${shot}\n\`\`\``;
  });
}

export const GUIDE = fileURLToPath(new URL('../../docs/operator-guide.md', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--write') {
    await writeFile(GUIDE, await refreshGuide(await readFile(GUIDE, 'utf8')));
  } else {
    for (const [name, keys] of Object.entries(CAPTURES)) console.log(`== ${name}\n${await capture(keys)}\n`);
  }
}
