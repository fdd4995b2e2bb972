// What the front panel shows, as plain data. Someone else maps machine snapshots to these; the
// screens never see a machine, a driver or the controller's types.

export type Health = 'healthy' | 'watch' | 'failing' | 'unknown';
export type WriteBlock = 'engaged' | 'not-engaged' | 'unknown';
/** 'faulted': identifying or checking the drive failed (the reason is the port's health line). */
export type PortState = 'identifying' | 'preflight' | 'ready' | 'busy' | 'faulted' | 'gone';

/** One drive port: a row of the drives table. */
export interface PortView {
  readonly port: string;
  /** Kernel path, e.g. /dev/sdb. */
  readonly device: string;
  readonly model: string;
  readonly serial: string;
  readonly capacityBytes: number;
  readonly health: Health;
  /** A few words on the verdict ("8 pending sectors"); shown under the table. */
  readonly healthLine: string;
  readonly writeBlock: WriteBlock;
  readonly hpa: boolean;
  readonly dco: boolean;
  readonly state: PortState;
}

export interface LabelledRow {
  readonly label: string;
  readonly value: string;
}

/** One SMART attribute (or NVMe health field), already formatted. */
export interface SmartRow {
  /** ATA attribute id ("5"); '' for NVMe fields. */
  readonly id: string;
  readonly name: string;
  readonly value: string;
  /** Normalised threshold ('' when the drive has none). */
  readonly threshold: string;
  readonly raw: string;
  /** 'ok', or how this attribute counts towards the verdict. */
  readonly flag: 'ok' | 'watch' | 'failing';
}

export interface DriveDetailView {
  readonly port: string;
  readonly identity: readonly LabelledRow[];
  readonly smart: readonly SmartRow[];
  readonly verdict: Health;
  /** Worst first, a sentence each. */
  readonly reasons: readonly string[];
  /** What to do, in order. */
  readonly advice: readonly string[];
  /** HPA/DCO findings, a line each ("HPA: 1,024 sectors hidden above LBA 976,771,055"). */
  readonly hiddenAreas: readonly string[];
}

export type JobMode = 'forensic' | 'recovery' | 'clone';
export type JobState =
  | 'preflight' | 'acquiring' | 'verifying' | 'reporting' | 'done' | 'paused' | 'aborted' | 'failed';

/** GNU ddrescue's block statuses: non-tried, non-trimmed, non-scraped, bad sector, finished. */
export type SectorStatus = '?' | '*' | '/' | '-' | '+';

/** A stretch of the drive with one status; a job's map lists them in order and covers the drive. */
export interface MapRun {
  readonly status: SectorStatus;
  readonly bytes: number;
}

export interface JobView {
  readonly id: string;
  readonly port: string;
  readonly mode: JobMode;
  readonly state: JobState;
  readonly pauseReason?: string;
  /** Why it failed or aborted, or any other one-line note for the operator. */
  readonly message?: string;
  /** The engine's phase in words ("copy pass 2", "trim", "verify"). */
  readonly phase: string;
  /** Percentage rescued (0-100). */
  readonly pct: number;
  readonly rescued: number;
  readonly size: number;
  readonly rateBytesPerSec: number;
  /** Estimated time left; null when unknown. */
  readonly etaMs: number | null;
  /** Failed reads so far. */
  readonly errors: number;
  readonly map: readonly MapRun[];
  /** Exact bytes in each status, when the engine has said; else they are summed from the map. */
  readonly totals?: Readonly<Record<SectorStatus, number>>;
  /** Newest last. */
  readonly events: readonly string[];
}

export interface ResultView {
  readonly jobId: string;
  /** The report as text, a line each. */
  readonly lines: readonly string[];
}

/** Jobs in these states are still running (a paused job still holds its drive). */
export function isJobActive(state: JobState): boolean {
  return state !== 'done' && state !== 'aborted' && state !== 'failed';
}
