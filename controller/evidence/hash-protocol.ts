// Messages between a MultiHasher and its hash workers. Data travels in slots of a shared buffer:
// the owner copies a chunk into a free slot, tells every worker, and reuses the slot when all have
// said they are done with it. Lent bytes skip the copy: the owner holds the lease until every
// worker is done with them.

import type { Algo } from './algorithms.ts';
import type { EngineKind } from './hash-engine.ts';
import type { GroupResult } from './hash-group.ts';
import type { HashState } from './hash-state.ts';

export interface HashWorkerData {
  algos: Algo[];
  kind: EngineKind;
  window?: number;
  resume?: HashState[];
  shared: SharedArrayBuffer;
  slotSize: number;
}

export type ToWorker =
  | { type: 'data'; slot: number; length: number }
  /** Bytes in memory lent by the source (drivers/block/lease.ts), hashed where they lie. */
  | { type: 'lent'; id: number; shared: SharedArrayBuffer; offset: number; length: number }
  | { type: 'save'; id: number }
  | { type: 'finish' };

export type FromWorker =
  | { type: 'done'; slot: number }
  | { type: 'lentDone'; id: number }
  | { type: 'saved'; id: number; states: HashState[] }
  | { type: 'finished'; results: GroupResult[] }
  | { type: 'failed'; message: string };
