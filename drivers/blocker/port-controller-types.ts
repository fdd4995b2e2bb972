// What the port controller tells its users: typed failures and a stream of changes.

import type { WriteBlockState } from './types.ts';

export type PortControllerFailure =
  /** No answer within the timeout, after the retry. */
  | 'timeout'
  /** The answer was unreadable (bad checksum, noise, not the answer to the request), after the retry. */
  | 'garbage'
  /** The board answered ERR: it understood and said no (a stuck relay, a port it does not have). */
  | 'refused'
  /** The device vanished, or was not there when the host tried to reach it. */
  | 'lost'
  /** The controller was closed. */
  | 'closed';

export class PortControllerError extends Error {
  readonly kind: PortControllerFailure;
  readonly path: string;

  constructor(kind: PortControllerFailure, path: string, message: string, options?: ErrorOptions) {
    super(`${path}: ${message}`, options);
    this.name = 'PortControllerError';
    this.kind = kind;
    this.path = path;
  }
}

export type PowerState = 'on' | 'off' | undefined;

/** Why a cached state changed: the board said so unasked, an answer said so, or the link failed. */
export type ChangeCause = 'event' | 'answer' | 'fault';

export type PortControllerEvent =
  | {
      readonly type: 'write-block';
      readonly port: number;
      readonly state: WriteBlockState;
      readonly previous: WriteBlockState;
      readonly cause: ChangeCause;
      readonly at: string;
    }
  | {
      readonly type: 'power';
      readonly port: number;
      readonly state: PowerState;
      readonly previous: PowerState;
      readonly cause: ChangeCause;
      readonly at: string;
    }
  | { readonly type: 'lost'; readonly path: string; readonly reason: string; readonly at: string }
  | { readonly type: 'connected'; readonly path: string; readonly info: BoardInfo; readonly at: string }
  | { readonly type: 'garbage'; readonly line: string; readonly reason: string; readonly count: number; readonly at: string };

export interface BoardInfo {
  readonly firmware: string;
  readonly version: string;
  readonly ports: number;
}

export interface PortControllerStats {
  /** Lines rejected: unreadable, bad checksum, over-long, or the board reporting our line garbled. */
  readonly garbage: number;
  /** Answers to requests already given up on, dropped by their tag. */
  readonly late: number;
  /** Tries that got no answer in time. */
  readonly timeouts: number;
  /** Times the link was lost. */
  readonly lost: number;
  /** Successful reconnects after a loss. */
  readonly reconnects: number;
}
