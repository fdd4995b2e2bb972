// The real `imagebox --demo` in a real terminal (tmux): a recovery job on the failing demo drive,
// started with the keys alone, its map watched as it changes, paused (nothing moves), resumed,
// finished and verified, its report read, and the panel quit. The environment is spelled out and
// minimal, as on a CI runner, CI=true included: Ink draws nothing in CI unless told otherwise.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { TmuxPane, tmuxMissing } from './tmux.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const missing = tmuxMissing();
const panes: TmuxPane[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const p of panes) p.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh home, state dir and XDG dirs; the project's Node 24 first on PATH (node_modules/.bin/node). */
function start(args: readonly string[]): { pane: TmuxPane; state: string } {
  // Straight in /tmp, not the run's own folder (test/global-tmp.ts): the wizard shows the image's
  // path on a 100-column screen, and the test reads it whole. Removed in afterAll.
  const dir = mkdtempSync('/tmp/ibx-e2e-');
  dirs.push(dir);
  const home = join(dir, 'home');
  const state = join(dir, 'state');
  for (const d of [home, state, join(dir, 'xdg')]) mkdirSync(d, { recursive: true });
  const pane = new TmuxPane({
    dir, cwd: REPO, columns: 100, rows: 30,
    argv: ['node', 'bin/imagebox.js', ...args],
    env: {
      PATH: `${join(REPO, 'node_modules', '.bin')}:/usr/local/bin:/usr/bin:/bin`,
      HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', CI: 'true', TMPDIR: tmpdir(),
      IMAGEBOX_STATE_DIR: state, XDG_STATE_HOME: join(dir, 'xdg'), XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CACHE_HOME: join(dir, 'xdg'),
    },
    logs: [join(state, 'panel.log')],
  });
  panes.push(pane);
  return { pane, state };
}

/** The map grid's rows: lines of status characters only. */
const mapRows = (screen: string): string => screen.split('\n').filter((l) => /^[+?*/-]{20,}$/.test(l)).join('\n');
const rescuedPct = (screen: string): string => /Rescued ([\d.]+)%/.exec(screen)?.[1] ?? '';
/** The first screen: Node 24 compiles everything on its first run, slow on a loaded runner. */
const FIRST_SCREEN_MS = 60_000;

describe.skipIf(missing !== undefined)(`imagebox --demo in tmux${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('runs a recovery on the failing drive from the keyboard: map, pause, resume, done, report, quit', async () => {
    const { pane, state } = start(['--demo']);
    await pane.waitFor("port 2's failing drive, ready", (s) => /^[ >] 2\s+Hitachi.*FAILING.*ready\s*$/m.test(s), FIRST_SCREEN_MS);
    pane.send('Down');
    await pane.waitForText(/^> 2 /m);
    pane.send('n');
    await pane.waitForText('New job on port 2');
    pane.send('Down');
    await pane.waitForText('> (*) Recovery');
    pane.send('Enter');
    const where = await pane.waitForText('Step 2 of 4: Where it goes');
    expect(where).toMatch(new RegExp(`> Destination +${join(state, 'demo-images')}/port2-MSK423Y20S3HBC-\\d{8}-\\d{4}_`));
    pane.send('Enter');
    await pane.waitForText('Step 3 of 4: How to read a damaged drive');
    pane.send('Enter');
    await pane.waitForText('Step 4 of 4: Check and start');
    pane.send('Enter');
    await pane.waitForText(/Job (\S+) started on port 2/);
    pane.send('Enter');
    const first = await pane.waitFor('the job screen with its map', (s) => /recovery {2}acquiring/.test(s) && mapRows(s) !== '');
    await pane.waitFor('the map changing', (s) => mapRows(s) !== '' && mapRows(s) !== mapRows(first));

    pane.send('p');
    // The run stops within a read and saves its mapfile; its last figures come with that.
    const paused = await pane.waitFor('the job paused and its run stopped', (s) => /recovery {2}PAUSED/.test(s) && !s.includes('saving the mapfile'));
    expect(paused).toContain('Paused: Paused by the operator.');
    await new Promise((r) => setTimeout(r, 1500));
    const still = pane.capture();
    expect(still).toMatch(/recovery {2}PAUSED/);
    expect(rescuedPct(still)).not.toBe('');
    expect(rescuedPct(still)).toBe(rescuedPct(paused));

    pane.send('r');
    await pane.waitForText(/recovery {2}acquiring/);
    const done = await pane.waitForText(/recovery {2}done/, 120_000);
    expect(done).toMatch(/Note: mapfile agrees/);
    expect(done).toContain('v report');

    pane.send('v');
    await pane.waitForText(/imagebox demo \| Report of/);
    await pane.waitForText(/^imagebox job \S+: recovery on port 2$/m);
    pane.send('Escape');
    await pane.waitForText(/imagebox demo \| Job /);
    pane.send('Escape');
    await pane.waitForText(/imagebox demo \| Jobs /);
    pane.send('Escape');
    await pane.waitForText(/imagebox demo \| Drives /);
    pane.send('q');
    const end = await pane.waitForExit();
    expect(end, `the panel ended with ${end}\n${pane.diagnostics()}`).toBe('exit 0');

    const images = join(state, 'demo-images');
    const reports = readdirSync(images).filter((f) => f.endsWith('.job.txt'));
    expect(reports).toHaveLength(1);
    const report = readFileSync(join(images, reports[0]), 'utf8');
    expect(report).toContain('Paused by the operator.');
    expect(report).toMatch(/Verification: PASSED: mapfile agrees/);
  }, 240_000);

});

describe('without a terminal', () => {
  it('bare `imagebox` prints the usage (exit 2); `imagebox --demo` says it needs one (exit 2)', async () => {
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^usage: imagebox COMMAND/);
    expect(bare.stderr).toContain('imagebox --demo');
    const demo = await runCli(['--demo']);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toBe('imagebox: imagebox --demo draws the front panel and needs a terminal (stdin and stdout a TTY)\n');
  });
});
