// The host side of the box's port controller (docs/serial-protocol.md): per drive port a
// write-protect switch to read and a power relay to switch, and a stream of changes so a running
// job can act when a switch is flipped or the controller goes away. Faults never throw out of
// writeBlock(): they make the reading 'unknown' and carry the typed error with it.

import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../controller/logger.ts';
import type { Logger } from '../../controller/logger.ts';
import type { PowerSwitch } from '../power/types.ts';
import type { ControllerBinding, ControllerLink } from './port-link.ts';
import { PortControllerState } from './port-controller-state.ts';
import { PortControllerError } from './port-controller-types.ts';
import type { BoardInfo, PortControllerEvent, PortControllerStats, PowerState } from './port-controller-types.ts';
import { RequestChannel } from './request-channel.ts';
import type { OkBody, OnOff } from './serial-protocol.ts';
import type { WriteBlockReading, WriteBlockState } from './types.ts';

export interface PortControllerOptions {
  readonly binding: ControllerBinding;
  readonly log?: Logger;
  /** How long one try waits for its answer (default 500 ms; a healthy board answers in ~10 ms). */
  readonly timeoutMs?: number;
  /** Tries after the first on no answer or garbage (default 1). */
  readonly retries?: number;
  /** Reconnect backoff after the device vanished: first wait, doubling up to max (default 250 ms .. 5 s). */
  readonly reconnect?: { readonly initialMs: number; readonly maxMs: number };
}

export type PortWriteBlockReading = WriteBlockReading & { readonly error?: PortControllerError };

/** Opens the device and identifies the board; rejects with a PortControllerError('lost') when it cannot. */
export async function openPortController(opts: PortControllerOptions): Promise<PortController> {
  const pc = new PortController(opts);
  try {
    await pc.connect();
  } catch (err) {
    await pc.close();
    throw err instanceof PortControllerError
      ? err
      : new PortControllerError('lost', opts.binding.path, `cannot open: ${(err as Error).message}`, { cause: err });
  }
  return pc;
}

export class PortController {
  readonly path: string;
  readonly #binding: ControllerBinding;
  readonly #log: Logger;
  readonly #backoff: { readonly initialMs: number; readonly maxMs: number };
  readonly #state: PortControllerState;
  readonly #channel: RequestChannel;
  readonly #stop = new AbortController();
  #link: ControllerLink | undefined;
  #info: BoardInfo | undefined;
  #connected = false;
  #reconnecting = false;

  constructor(opts: PortControllerOptions) {
    this.path = opts.binding.path;
    this.#binding = opts.binding;
    this.#log = (opts.log ?? silentLogger()).child({ component: 'port-controller', path: this.path });
    this.#backoff = opts.reconnect ?? { initialMs: 250, maxMs: 5_000 };
    this.#state = new PortControllerState(this.#log);
    const timeoutMs = opts.timeoutMs ?? 500;
    this.#channel = new RequestChannel({ path: this.path, timeoutMs, retries: opts.retries ?? 1 }, this.#state.hooks());
  }

  /** What the board said it is; throws before the first connect. */
  get info(): BoardInfo {
    if (!this.#info) throw new PortControllerError('lost', this.path, 'never connected');
    return this.#info;
  }

  get connected(): boolean {
    return this.#connected;
  }

  get stats(): PortControllerStats {
    return this.#state.stats;
  }

  /** Every change of a cached state, every fault and reconnect. Returns the unsubscribe function. */
  subscribe(listener: (e: PortControllerEvent) => void): () => void {
    return this.#state.subscribe(listener);
  }

  /** The last known states, port 1 first. */
  snapshot(): { readonly writeBlock: readonly WriteBlockState[]; readonly power: readonly PowerState[] } {
    return this.#state.snapshot();
  }

  /** Asks the board now. Never rejects for a device fault: the state is then 'unknown' and `error` says why. */
  async writeBlock(port: number, signal?: AbortSignal): Promise<PortWriteBlockReading> {
    this.#checkPort(port);
    const where = `port controller ${this.path} port ${port}`;
    try {
      const value = valueOf(await this.#channel.request({ cmd: 'WP', port }, signal));
      const { firmware, version } = this.info;
      const detail = `${where} (${firmware} ${version}): write-protect switch ${value}`;
      const state = value === 'ON' ? 'engaged' : 'not-engaged';
      return { method: 'port-controller', state, detail, at: new Date().toISOString() };
    } catch (err) {
      if (!(err instanceof PortControllerError)) throw err;
      this.#state.setWriteBlock(port, 'unknown', 'fault');
      return { method: 'port-controller', state: 'unknown', detail: `${where}: ${err.message}`, at: new Date().toISOString(), error: err };
    }
  }

  /** The relay of one port as a PowerSwitch. Closing it leaves the controller open. */
  powerSwitch(port: number): PowerSwitch {
    this.#checkPort(port);
    const set = async (value: OnOff, signal?: AbortSignal): Promise<void> => {
      try {
        const now = valueOf(await this.#channel.request({ cmd: 'PWR', port, set: value }, signal));
        if (now !== value) throw new PortControllerError('refused', this.path, `PWR ${port} ${value}: the relay reports ${now}`);
      } catch (err) {
        if (err instanceof PortControllerError) this.#state.setPower(port, undefined, 'fault');
        throw err;
      }
    };
    return {
      label: `port-controller ${this.path} port ${port}`,
      on: (signal) => set('ON', signal),
      off: (signal) => set('OFF', signal),
      state: async (signal) => {
        try {
          return valueOf(await this.#channel.request({ cmd: 'PWR', port }, signal)) === 'ON' ? 'on' : 'off';
        } catch (err) {
          if (!(err instanceof PortControllerError)) throw err;
          this.#state.setPower(port, undefined, 'fault');
          return undefined;
        }
      },
      close: async () => {},
    };
  }

  /** Open the link, identify the board, and read every switch and relay. */
  connect(): Promise<void> {
    return this.#connect(false);
  }

  async #connect(again: boolean): Promise<void> {
    const link = await this.#binding.open({
      data: (chunk) => this.#channel.receive(chunk),
      closed: (err) => this.#lost(link, err),
    });
    if (this.#stop.signal.aborted) {
      await link.close();
      throw new PortControllerError('closed', this.path, 'closed while connecting');
    }
    this.#link = link;
    this.#channel.attach(link);
    try {
      const id = await this.#channel.request({ cmd: 'ID' });
      if (id.cmd !== 'ID') throw new Error('no identity');
      if (this.#info && this.#info.ports !== id.ports) {
        this.#log.error({ before: this.#info.ports, now: id.ports }, 'port controller: the board now reports a different number of ports');
      }
      this.#info = { firmware: id.firmware, version: id.version, ports: id.ports };
      this.#state.resize(id.ports);
      await this.#refresh(link);
    } catch (err) {
      if (this.#link === link) this.#drop(`handshake failed: ${(err as Error).message}`);
      await link.close();
      throw err;
    }
    this.#connected = true;
    if (again) this.#state.reconnected();
    this.#log.info({ info: this.#info, again }, 'port controller connected');
    this.#state.emit({ type: 'connected', path: this.path, info: this.#info, at: new Date().toISOString() });
  }

  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    const link = this.#link;
    this.#link = undefined;
    this.#channel.close();
    this.#connected = false;
    await link?.close();
  }

  /** Reads every port once; a port that does not answer stays 'unknown'. */
  async #refresh(link: ControllerLink): Promise<void> {
    for (let port = 1; port <= this.info.ports; port++) {
      for (const cmd of ['WP', 'PWR'] as const) {
        if (this.#link !== link) throw new PortControllerError('lost', this.path, 'lost while reading the ports');
        await this.#channel.request({ cmd, port }).catch((err: Error) => {
          this.#log.warn({ port, cmd, err }, 'port controller: no reading after connect');
        });
      }
    }
  }

  #drop(reason: string): void {
    this.#link = undefined;
    this.#channel.detach(reason);
  }

  #lost(link: ControllerLink, err: Error | undefined): void {
    if (this.#link !== link || this.#stop.signal.aborted) return;
    const reason = err?.message ?? 'closed';
    this.#drop(`link lost: ${reason}`);
    if (!this.#connected) return; // a handshake in progress fails and its caller decides
    this.#connected = false;
    this.#state.lost(this.path, reason);
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    if (this.#reconnecting) return;
    this.#reconnecting = true;
    let delay = this.#backoff.initialMs;
    try {
      while (!this.#stop.signal.aborted) {
        try {
          await sleep(delay, undefined, { signal: this.#stop.signal });
          await this.#connect(true);
          return;
        } catch (err) {
          if (this.#stop.signal.aborted) return;
          this.#log.debug({ err, delay }, 'port controller: reconnect failed');
          delay = Math.min(delay * 2, this.#backoff.maxMs);
        }
      }
    } finally {
      this.#reconnecting = false;
    }
  }

  #checkPort(port: number): void {
    const ports = this.#info?.ports ?? 0;
    if (!Number.isInteger(port) || port < 1 || port > ports) throw new RangeError(`no port ${port} on ${this.path} (1..${ports})`);
  }
}

/** The ON/OFF of a WP or PWR answer (the channel has checked it answers the request). */
function valueOf(body: OkBody): OnOff {
  if (body.cmd === 'ID') throw new TypeError('an ID answer has no ON/OFF');
  return body.value;
}
