// A real terminal for end-to-end tests: one program in a tmux pane on a private server, driven with
// send-keys and read with capture-pane. Nothing is inherited: the server and the program get the
// environment the test spells out, and every wait that times out says what the pane showed, whether
// the program is still alive (and how it ended), what it wrote to stderr and the tail of its log.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Why the tests cannot use tmux here, or undefined when they can. */
export function tmuxMissing(): string | undefined {
  const r = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (r.error) return `tmux is not installed (${r.error.message})`;
  if (r.status !== 0) return `tmux -V failed: ${r.stderr.trim()}`;
  return undefined;
}

export interface PaneOptions {
  /** A private folder: the socket, the launcher, the config and the stderr file go here. */
  readonly dir: string;
  readonly cwd: string;
  /** The program and its arguments, run by the launcher with `exec` (PATH lookup from `env`). */
  readonly argv: readonly string[];
  /** The whole environment of the server and the program. */
  readonly env: Readonly<Record<string, string>>;
  readonly columns: number;
  readonly rows: number;
  /** Files whose tail goes into every timeout message (the program's own log). */
  readonly logs?: readonly string[];
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const tail = (file: string, bytes = 3000): string => {
  if (!existsSync(file)) return `(${file} does not exist)`;
  const text = readFileSync(file, 'utf8');
  return text.length > bytes ? `...${text.slice(-bytes)}` : text || '(empty)';
};

export class TmuxPane {
  readonly socket: string;
  readonly stderrFile: string;
  /** Written by the launcher when the program ends: its exit status (128+N when killed by signal N). */
  readonly exitFile: string;
  readonly #opts: PaneOptions;

  constructor(opts: PaneOptions) {
    this.#opts = opts;
    this.socket = join(opts.dir, 'tmux.sock');
    this.stderrFile = join(opts.dir, 'stderr.log');
    this.exitFile = join(opts.dir, 'exit-status');
    // The config is read when the server starts, so a program that dies at once still leaves its pane.
    const conf = join(opts.dir, 'tmux.conf');
    writeFileSync(conf, 'set-option -g remain-on-exit on\nset-option -g history-limit 100\n');
    // The launcher sets the program's environment itself: tmux sets TERM in a pane and may keep a
    // server's older environment, and stderr goes to a file the test can read whatever happens. It
    // waits for the program and writes its exit status: tmux 3.3a, under load, sometimes left the
    // exited program a zombie, its pane dead but without pane_dead_status (3 runs in 12).
    const launcher = join(opts.dir, 'launch.sh');
    writeFileSync(launcher, [
      '#!/bin/sh',
      `exec 2>>${q(this.stderrFile)}`,
      ...Object.entries(opts.env).map(([k, v]) => `export ${k}=${q(v)}`),
      `cd ${q(opts.cwd)} || exit 97`,
      `echo "launcher: $(date -u +%FT%TZ) tty=$(tty) TERM=$TERM node=$(command -v node) $(node --version 2>&1)" >&2`,
      opts.argv.map(q).join(' '),
      'code=$?',
      `echo "$code" > ${q(this.exitFile)}`,
      'exit "$code"',
      '',
    ].join('\n'));
    chmodSync(launcher, 0o755);
    this.tmux('-f', conf, 'new-session', '-d', '-s', 'e2e', '-x', String(opts.columns), '-y', String(opts.rows), launcher);
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8', env: { ...this.#opts.env }, timeout: 10_000 });
  }

  /** The pane's text now, a line per row. */
  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'e2e');
  }

  /** tmux key names: 'Down', 'Enter', 'Escape', or plain characters. */
  send(...keys: string[]): void {
    for (const key of keys) this.tmux('send-keys', '-t', 'e2e', key);
  }

  /** "dead status signal": '0' while the program runs, '1 0' once it has exited 0, '1  9' when killed. */
  status(): string {
    return this.tmux('list-panes', '-t', 'e2e', '-F', '#{pane_dead} #{pane_dead_status} #{pane_dead_signal}').replace(/\n$/, '');
  }

  /** `ps` of the pane's process and its children: whether the program is still there, and in what state. */
  processes(): string {
    const pid = this.tmux('list-panes', '-t', 'e2e', '-F', '#{pane_pid}').trim();
    const r = spawnSync('ps', ['-o', 'pid,ppid,stat,etime,args', '--pid', pid, '--ppid', pid], { encoding: 'utf8' });
    return r.stdout.trim() || `(no process ${pid}: ps exit ${r.status})`;
  }

  diagnostics(): string {
    const safe = (f: () => string): string => {
      try {
        return f();
      } catch (e) {
        return `(failed: ${(e as Error).message.split('\n')[0]})`;
      }
    };
    return [
      `tmux list-panes (pane_dead pane_dead_status pane_dead_signal): ${safe(() => this.status())}`,
      `the pane's process and its children:\n${safe(() => this.processes())}`,
      `--- stderr (${this.stderrFile}):\n${tail(this.stderrFile)}`,
      ...(this.#opts.logs ?? []).map((f) => `--- ${f}:\n${tail(f)}`),
      `--- pane:\n${safe(() => this.capture())}`,
    ].join('\n');
  }

  /** Polls the pane until `test` holds; the error names `what` and carries the diagnostics. */
  async waitFor(what: string, test: (screen: string) => boolean, ms = 15_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const screen = this.capture();
      if (test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what} on the screen\n${this.diagnostics()}`);
      await pause(100);
    }
  }

  /** Waits until the text is on the screen. */
  waitForText(text: string | RegExp, ms?: number): Promise<string> {
    const test = typeof text === 'string' ? (s: string) => s.includes(text) : (s: string) => text.test(s);
    return this.waitFor(String(text), test, ms);
  }

  /** Waits for the program to end: 'exit N' as the launcher saw it (128+N when killed by signal N). */
  async waitForExit(ms = 15_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const code = existsSync(this.exitFile) ? readFileSync(this.exitFile, 'utf8').trim() : '';
      if (code !== '') return `exit ${code}`;
      if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for the program to exit\n${this.diagnostics()}`);
      await pause(100);
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
