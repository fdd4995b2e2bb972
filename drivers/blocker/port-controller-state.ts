// The host's picture of the board: the last known state of every switch and relay, the fault
// counters, and the listeners told of every change. Answers, events and faults all land here.

import type { Logger } from '../../controller/logger.ts';
import type { ChannelHooks } from './request-channel.ts';
import type {
  ChangeCause,
  PortControllerEvent,
  PortControllerStats,
  PowerState,
} from './port-controller-types.ts';
import { printable } from './serial-protocol.ts';
import type { OnOff } from './serial-protocol.ts';
import type { WriteBlockState } from './types.ts';

const wbOf = (v: OnOff): WriteBlockState => (v === 'ON' ? 'engaged' : 'not-engaged');
const powerOf = (v: OnOff): PowerState => (v === 'ON' ? 'on' : 'off');
const now = (): string => new Date().toISOString();

export class PortControllerState {
  readonly #log: Logger;
  readonly #listeners = new Set<(e: PortControllerEvent) => void>();
  #wb: WriteBlockState[] = [];
  #power: PowerState[] = [];
  #stats = { garbage: 0, late: 0, timeouts: 0, lost: 0, reconnects: 0 };

  constructor(log: Logger) {
    this.#log = log;
  }

  get stats(): PortControllerStats {
    return { ...this.#stats };
  }

  resize(ports: number): void {
    this.#wb = Array.from({ length: ports }, (_, i) => this.#wb[i] ?? 'unknown');
    this.#power = Array.from({ length: ports }, (_, i) => this.#power[i]);
  }

  writeBlock(port: number): WriteBlockState {
    return this.#wb[port - 1] ?? 'unknown';
  }

  power(port: number): PowerState {
    return this.#power[port - 1];
  }

  snapshot(): { readonly writeBlock: readonly WriteBlockState[]; readonly power: readonly PowerState[] } {
    return { writeBlock: [...this.#wb], power: [...this.#power] };
  }

  subscribe(listener: (e: PortControllerEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(e: PortControllerEvent): void {
    for (const l of this.#listeners) {
      try {
        l(e);
      } catch (err) {
        this.#log.error({ err, event: e.type }, 'port controller: a listener threw');
      }
    }
  }

  setWriteBlock(port: number, state: WriteBlockState, cause: ChangeCause): void {
    const previous = this.writeBlock(port);
    if (port < 1 || port > this.#wb.length || previous === state) return;
    this.#wb[port - 1] = state;
    this.#log.info({ port, state, previous, cause }, 'write-block state changed');
    this.emit({ type: 'write-block', port, state, previous, cause, at: now() });
  }

  setPower(port: number, state: PowerState, cause: ChangeCause): void {
    const previous = this.power(port);
    if (port < 1 || port > this.#power.length || previous === state) return;
    this.#power[port - 1] = state;
    this.#log.info({ port, state: state ?? 'unknown', previous: previous ?? 'unknown', cause }, 'power state changed');
    this.emit({ type: 'power', port, state, previous, cause, at: now() });
  }

  /** The device went away: nothing the board said before can be relied on now. */
  lost(path: string, reason: string): void {
    this.#stats.lost++;
    this.#log.warn({ reason }, 'port controller lost; states unknown until it is back');
    this.emit({ type: 'lost', path, reason, at: now() });
    for (let port = 1; port <= this.#wb.length; port++) {
      this.setWriteBlock(port, 'unknown', 'fault');
      this.setPower(port, undefined, 'fault');
    }
  }

  reconnected(): void {
    this.#stats.reconnects++;
  }

  hooks(): ChannelHooks {
    return {
      answer: (body) => {
        if (body.cmd === 'WP') this.setWriteBlock(body.port, wbOf(body.value), 'answer');
        if (body.cmd === 'PWR') this.setPower(body.port, powerOf(body.value), 'answer');
      },
      event: (e) => {
        if (e.what === 'WP') this.setWriteBlock(e.port, wbOf(e.value), 'event');
        else this.setPower(e.port, powerOf(e.value), 'event');
      },
      garbage: (line, reason) => {
        const count = ++this.#stats.garbage;
        this.#log.warn({ line: printable(line), reason, count }, 'port controller: line rejected');
        this.emit({ type: 'garbage', line: printable(line), reason, count, at: now() });
      },
      late: (line, seq) => {
        this.#stats.late++;
        this.#log.info({ line: printable(line), seq }, 'port controller: late answer dropped');
      },
      timeout: (req, seq) => {
        this.#stats.timeouts++;
        this.#log.warn({ cmd: req.cmd, seq }, 'port controller: no answer in time');
      },
    };
  }
}
