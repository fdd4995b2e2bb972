// What an appliance job is told, what it keeps, and what its named actors take and give back.
// The UI and the CLI provide the actors (machine.provide({ actors })); the machine only wires them.
import type { WriteBlockState } from '../drivers/blocker/types.ts';

export type JobMode = 'forensic' | 'recovery';

/** Passed through to the actors untouched: the machine reads only the destination. */
export interface JobSettings {
  /** Where the image goes (a file or folder path); watchSpace measures its filesystem. */
  readonly destination: string;
  readonly [key: string]: unknown;
}

export interface JobSource {
  readonly serial: string | null;
  readonly path: string;
}

/** What the job is: also the input of preflight, acquire, verify, report and reopen. */
export interface JobActorInput {
  readonly jobId: string;
  readonly port: string;
  readonly mode: JobMode;
  readonly settings: JobSettings;
  readonly source: JobSource;
}

export interface ApplianceJobInput extends JobActorInput {
  readonly hasPowerRelay: boolean;
  /** A second hang this soon after a reopen (or a third after a power cycle) escalates. Default 10 min. */
  readonly hangWindowMs?: number;
}

/** Why a job is paused; a job can be held for several at once and shows the most urgent. */
export type PauseReason =
  | 'write-block-lost'
  | 'drive-removed'
  | 'drive-unresponsive'
  | 'destination-full'
  | 'operator';

export interface Holds {
  readonly 'write-block-lost'?: { readonly state: WriteBlockState };
  readonly 'drive-removed'?: { readonly serial: string | null };
  readonly 'drive-unresponsive'?: { readonly hangs: number };
  readonly 'destination-full'?: { readonly bytesNeeded: number; readonly freeBytes: number | null };
  readonly operator?: true;
}

/** Where a paused job goes back to; the engine resumes from its mapfile, other phases restart. */
export type ResumablePhase = 'preflight' | 'acquiring' | 'verifying';

/** Summaries only: the sector map stays in the engine and its mapfile. */
export interface AcquireProgress {
  readonly phase: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly unreadBytes: number;
  readonly bytesPerSecond: number;
}

export interface AcquireSummary {
  readonly bytesTotal: number;
  readonly unreadBytes: number;
  readonly imagePaths: readonly string[];
  readonly hashes: Readonly<Record<string, string>>;
}

// ---- actor inputs and outputs ------------------------------------------------------------

/** preflight (fromPromise) output. */
export interface JobPreflight {
  readonly sourceBytes: number;
  readonly destinationFreeBytes: number;
  readonly writeBlock: WriteBlockState;
  /** A mapfile from an earlier run was found: acquiring resumes from it. */
  readonly resuming: boolean;
}

/** What the acquire actor (fromCallback) sends back. It is stopped to pause and re-invoked to resume. */
export type EngineEvent =
  | { readonly type: 'PROGRESS'; readonly progress: AcquireProgress }
  | { readonly type: 'ENGINE.DONE'; readonly summary: AcquireSummary }
  | { readonly type: 'ENGINE.FAILED'; readonly error: string; readonly code?: string; readonly bytesNeeded?: number }
  | { readonly type: 'ENGINE.HANG'; readonly detail: string }
  | { readonly type: 'DEST.FULL'; readonly bytesNeeded: number };

/** verify (fromPromise) input adds the acquisition; a mismatch is a result, a rejection fails the job. */
export interface VerifyInput extends JobActorInput {
  readonly acquired: AcquireSummary;
}
export interface VerifyResult {
  readonly ok: boolean;
  readonly summary: string;
}

export interface ReportInput extends VerifyInput {
  readonly verification: VerifyResult;
  readonly notes: readonly string[];
}
export interface ReportResult {
  readonly paths: readonly string[];
}

/** powerCycle (fromPromise) input; it resolves once the drive answers again. */
export interface PowerCycleInput {
  readonly port: string;
  readonly source: JobSource;
}

/** watchSpace (fromCallback) input; it sends DEST.SPACE now and whenever free space changes. */
export interface WatchSpaceInput {
  readonly jobId: string;
  readonly port: string;
  readonly destination: string;
  readonly bytesNeeded: number;
}

export type ApplianceJobEvent =
  | EngineEvent
  | { readonly type: 'PAUSE' }
  | { readonly type: 'RESUME' }
  | { readonly type: 'ABORT' }
  | { readonly type: 'DRIVE.REMOVED'; readonly serial?: string | null }
  | { readonly type: 'DRIVE.ATTACHED'; readonly serial: string | null }
  | { readonly type: 'WRITE_BLOCK.CHANGED'; readonly state: WriteBlockState }
  | { readonly type: 'DEST.SPACE'; readonly freeBytes: number };

export interface ApplianceJobContext extends Required<ApplianceJobInput> {
  readonly phase: ResumablePhase;
  readonly holds: Holds;
  /** The most urgent hold, in words; undefined while not paused. */
  readonly pause: { readonly reason: PauseReason; readonly message: string } | undefined;
  readonly drivePresent: boolean;
  readonly writeBlock: WriteBlockState;
  readonly hangs: number;
  readonly preflight: JobPreflight | undefined;
  readonly progress: AcquireProgress | undefined;
  readonly acquired: AcquireSummary | undefined;
  readonly verification: VerifyResult | undefined;
  readonly report: ReportResult | undefined;
  readonly error: string | undefined;
  /** The latest few things worth telling the operator; each is also emitted as a 'note'. */
  readonly notes: readonly string[];
}

export type ApplianceJobEmitted = { readonly type: 'note'; readonly jobId: string; readonly message: string };
