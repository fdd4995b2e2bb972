// The port controller board on the far side of a real pty pair: socat links two ptys, the board
// (serial-board.ts) answers on one through serialport, and the host opens the other as it would
// /dev/ttyUSB0. vanish() kills socat, so both ptys disappear under the host as an unplugged USB
// serial adapter does; restore() brings them back under the same link names.
//
// Run by hand: node hil/serial-blocker.ts [--ports 4] [--link /tmp/imagebox/port-controller]
// then type commands on stdin (`help` lists them).

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { SerialPort } from 'serialport';
import { guardedSerialPort } from '../drivers/blocker/serial-hangup-guard.ts';
import { SerialBoard } from './serial-board.ts';
import type { BoardConnection, SerialBoardOptions } from './serial-board.ts';

export interface SerialBlockerOptions extends SerialBoardOptions {
  /** The path the host opens; the board's end is the same path plus ".board". */
  readonly link: string;
}

const START_TIMEOUT_MS = 5_000;

/** Whether socat is there to make pty pairs; the reason when it is not. */
export async function socatAvailable(): Promise<{ readonly ok: true } | { readonly ok: false; readonly why: string }> {
  return new Promise((resolve) => {
    const p = spawn('socat', ['-V'], { stdio: 'ignore' });
    p.on('error', () => resolve({ ok: false, why: 'socat is not installed (Debian package socat)' }));
    p.on('exit', (code) => resolve(code === 0 ? { ok: true } : { ok: false, why: `socat -V exited ${code}` }));
  });
}

export class SerialBlocker {
  readonly board: SerialBoard;
  readonly hostPath: string;
  readonly boardPath: string;
  #socat: ChildProcess | undefined;
  #port: SerialPort | undefined;
  #conn: BoardConnection | undefined;

  private constructor(opts: SerialBlockerOptions) {
    this.board = new SerialBoard(opts);
    this.hostPath = opts.link;
    this.boardPath = `${opts.link}.board`;
  }

  static async start(opts: SerialBlockerOptions): Promise<SerialBlocker> {
    const sb = new SerialBlocker(opts);
    await mkdir(path.dirname(opts.link), { recursive: true });
    await sb.restore();
    return sb;
  }

  get present(): boolean {
    return this.#socat !== undefined;
  }

  /** Start socat and open the board's end (the device comes back). */
  async restore(): Promise<void> {
    if (this.#socat) return;
    await this.#removeLinks();
    const socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${this.hostPath}`, `pty,raw,echo=0,link=${this.boardPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    socat.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    this.#socat = socat;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(existsSync(this.hostPath) && existsSync(this.boardPath))) {
      if (socat.exitCode !== null || Date.now() > deadline) {
        await this.vanish();
        throw new Error(`socat did not make the pty pair: ${stderr.trim() || 'timeout'}`);
      }
      await sleep(10);
    }
    const port = guardedSerialPort(this.boardPath, 115_200);
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    const conn = this.board.attach((text) => port.write(text, 'latin1'));
    port.on('data', (chunk: Buffer) => conn.receive(chunk));
    port.on('close', () => conn.detach());
    port.on('error', () => {}); // the pty going away is expected here; 'close' follows
    this.#port = port;
    this.#conn = conn;
  }

  /** Kill socat: both ptys and their links disappear under whoever has them open. */
  async vanish(): Promise<void> {
    const socat = this.#socat;
    this.#socat = undefined;
    this.#conn?.detach();
    this.#conn = undefined;
    if (socat && socat.exitCode === null) {
      const exited = new Promise((resolve) => socat.once('exit', resolve));
      socat.kill('SIGTERM');
      await exited;
    }
    const port = this.#port;
    this.#port = undefined;
    if (port?.isOpen) await new Promise((resolve) => port.close(() => resolve(undefined)));
    await this.#removeLinks();
  }

  async stop(): Promise<void> {
    await this.vanish();
  }

  async #removeLinks(): Promise<void> {
    await rm(this.hostPath, { force: true });
    await rm(this.boardPath, { force: true });
  }
}

const HELP = `commands:
  wp PORT on|off          flip a write-protect switch (the board sends EVT WP)
  pwr PORT on|off         the relay changes by itself (the board sends EVT PWR)
  fault none|silent|garbage|bad-checksum
  delay MS [COUNT]        hold back the next COUNT answers by MS
  noise TEXT              put raw bytes on the line (\\n ends a line)
  stick PORT | unstick PORT   the relay refuses to switch (ERR FAULT)
  vanish | restore        kill socat (the device disappears) | bring it back
  status | help | quit`;

function command(sb: SerialBlocker, line: string): Promise<string> | string {
  const [cmd, a, b] = line.trim().split(/\s+/);
  const board = sb.board;
  const port = Number(a);
  switch (cmd) {
    case 'wp':
    case 'pwr':
      if (b !== 'on' && b !== 'off') return `${cmd} PORT on|off`;
      if (cmd === 'wp') board.setWriteProtect(port, b === 'on');
      else board.setPower(port, b === 'on');
      return `port ${port} ${cmd === 'wp' ? 'write-protect' : 'power'} ${b}`;
    case 'fault':
      if (!['none', 'silent', 'garbage', 'bad-checksum'].includes(a)) return 'fault none|silent|garbage|bad-checksum';
      board.fault = a as SerialBoard['fault'];
      return `fault ${a}`;
    case 'delay':
      board.delayAnswers(Number(a), b ? Number(b) : 1);
      return `next ${b ?? 1} answer(s) held back ${a} ms`;
    case 'noise':
      board.sendRaw(line.trim().slice(6).replaceAll('\\n', '\n'));
      return 'sent';
    case 'stick':
    case 'unstick':
      if (cmd === 'stick') board.stuckRelays.add(port);
      else board.stuckRelays.delete(port);
      return `port ${port} relay ${cmd === 'stick' ? 'stuck' : 'free'}`;
    case 'vanish':
      return sb.vanish().then(() => 'vanished');
    case 'restore':
      return sb.restore().then(() => `back on ${sb.hostPath}`);
    case 'status': {
      const ports = Array.from({ length: board.ports }, (_, i) => `${i + 1}: wp ${board.writeProtect(i + 1) ? 'on' : 'off'} pwr ${board.power(i + 1) ? 'on' : 'off'}`);
      return [`${sb.present ? 'present' : 'vanished'} on ${sb.hostPath}, fault ${board.fault}, requests ${board.requests.length}, bad lines ${board.badLines}`, ...ports].join('\n');
    }
    default:
      return HELP;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { ports: { type: 'string' }, link: { type: 'string' } } });
  const link = path.resolve(values.link ?? '/tmp/imagebox/port-controller');
  const sb = await SerialBlocker.start({ link, ports: values.ports ? Number(values.ports) : 4 });
  console.log(`port controller board (${sb.board.ports} ports) on ${sb.hostPath}; type "help" for commands`);
  const stop = async (): Promise<void> => {
    await sb.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === 'quit') break;
    if (!line.trim()) continue;
    try {
      console.log(await command(sb, line));
    } catch (err) {
      console.log(`error: ${(err as Error).message}`);
    }
  }
  await stop();
}

if (import.meta.main) await main();
