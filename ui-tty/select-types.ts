// What the panel's selectors read from the running appliance: the parts of its snapshot and store
// they use, as structural types. A live actor's snapshot fits them, and so does a plain object,
// which is what the selectors' tests hand in.
import type { ApplianceJobContext } from '../machines/appliance-job.types.ts';
import type { PortContext } from '../machines/port.machine.ts';
import type { ApplianceStore } from '../machines/actors/appliance-store.ts';

export interface PortSnapshotLike {
  /** The port machine's state: identify, preflight, ready, busy, faulted, gone. */
  readonly value: string;
  readonly context: Pick<PortContext, 'port' | 'drive' | 'identity' | 'preflight' | 'writeBlock' | 'error'>;
}

export interface JobSnapshotLike {
  /** The job machine's state: a name, or { acquiring: 'steady' } / { paused: 'holding' } for nested ones. */
  readonly value: string | Readonly<Record<string, unknown>>;
  /** 'error' when the job actor itself crashed (a bug, a missing actor). */
  readonly status: 'active' | 'done' | 'error' | 'stopped';
  readonly context: Pick<
    ApplianceJobContext,
    'jobId' | 'port' | 'mode' | 'settings' | 'pause' | 'error' | 'notes' | 'progress' | 'preflight' | 'verification'
  >;
}

export interface ApplianceSnapshotLike {
  readonly context: {
    readonly ports: Readonly<Record<string, { getSnapshot(): PortSnapshotLike }>>;
    readonly jobs: Readonly<Record<string, { readonly port: string; readonly ref: { getSnapshot(): JobSnapshotLike } }>>;
  };
}

export type StoreLike = Pick<ApplianceStore, 'facts' | 'jobs'>;
