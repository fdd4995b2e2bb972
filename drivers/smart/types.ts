// What `smartctl --json -x` says about a drive, typed for the panel, the preflight and the
// acquisition record. parse.ts builds it from smartctl's stdout and exit code; both bindings
// (smartctl.ts spawns the real tool, emulated.ts serves recorded output) go through that one path.

import type { ExitStatus } from './exit-status.ts';

export type { ExitStatus };

/**
 * How smartctl reached the drive: 'ata' straight ATA (-d ata), 'sat' ATA commands wrapped in SCSI
 * (SAT: libata SATA ports and USB bridges alike, plus the vendor USB protocols such as usbjmicron),
 * 'nvme', or 'scsi' (SAS/SCSI disks).
 */
export type SmartKind = 'ata' | 'sat' | 'nvme' | 'scsi';

export type UnavailableReason =
  /** smartctl is not installed (spawn ENOENT). */
  | 'smartctl-missing'
  /** The device node could not be opened by this user. */
  | 'permission-denied'
  /** The device path does not exist (unplugged, renamed). */
  | 'device-gone'
  /** smartctl cannot talk SMART to it (loop device, virtual disk, USB bridge without pass-through). */
  | 'unsupported-device'
  /** Anything else: a hang past the timeout, unreadable output, a command smartctl rejected. */
  | 'failed';

export interface SmartIdentity {
  readonly model?: string;
  readonly serial?: string;
  readonly firmware?: string;
  readonly capacityBytes?: number;
  readonly logicalSectorSize?: number;
  readonly physicalSectorSize?: number;
  /** Revolutions per minute; 0 means solid state. Undefined when the drive does not say. */
  readonly rotationRpm?: number;
  /** In words, for people: "SATA 3.0 (1.5 Gb/s now) via USB JMicron", "NVMe", "SAS (SPL-4)". */
  readonly interface: string;
  /** smartctl's device type (sat, usbjmicron, nvme, scsi...): the `-d` value that reaches it again. */
  readonly deviceType: string;
  /** The USB bridge smartctl named ("USB JMicron"), when it went through one it recognised. */
  readonly usbBridge?: string;
}

/** An ATA attribute as smartctl reports it (normalised value, threshold, raw counter). */
export interface SmartAttribute {
  readonly id: number;
  readonly name: string;
  readonly value: number;
  readonly worst: number;
  /** Undefined when the drive publishes no threshold for it. */
  readonly threshold?: number;
  readonly prefailure: boolean;
  /** 'now': at or below threshold; 'past': was at some time; '': never. */
  readonly whenFailed: '' | 'now' | 'past';
  readonly raw: number;
  /** smartctl's rendering of the raw value ("25 (Min/Max 19/39)"). */
  readonly rawString: string;
}

/** The figures that matter when imaging. Undefined: the drive does not report it. */
export interface SmartHealth {
  /** smartctl's overall self-assessment (smart_status.passed). */
  readonly passed?: boolean;
  readonly reallocatedSectors?: number;
  /** Sectors the drive could not read and has not yet remapped: unreadable right now. */
  readonly pendingSectors?: number;
  readonly offlineUncorrectable?: number;
  /** ATA 187: uncorrectable errors reported to the host over the drive's life. */
  readonly reportedUncorrectable?: number;
  /** Interface CRC errors (ATA 199): cable or bridge trouble, not the media. */
  readonly crcErrors?: number;
  readonly commandTimeouts?: number;
  readonly powerOnHours?: number;
  readonly temperatureCelsius?: number;
  /** NVMe: unrecovered data integrity errors. */
  readonly mediaErrors?: number;
  /** NVMe critical warning bits (spare, temperature, reliability, read-only, backup). */
  readonly criticalWarning?: number;
  readonly availableSparePercent?: number;
  readonly availableSpareThresholdPercent?: number;
  readonly percentageUsed?: number;
  /** SCSI: grown defect list length. */
  readonly grownDefects?: number;
  /** SCSI: uncorrected read errors from the error counter log. */
  readonly uncorrectedReadErrors?: number;
  /** Attributes at or below their threshold now or in the past. */
  readonly attributesBelowThreshold: readonly { readonly id: number; readonly name: string; readonly when: 'now' | 'past' }[];
  /** Self-tests in the log that ended in error, and the newest one's result. */
  readonly selfTestErrors?: number;
  readonly lastSelfTest?: { readonly type: string; readonly passed: boolean; readonly status: string; readonly lifetimeHours?: number };
}

export interface SmartErrorEntry {
  readonly number?: number;
  /** Drive power-on hours when it happened. */
  readonly lifetimeHours?: number;
  readonly description: string;
  readonly lba?: number;
}

export interface SmartErrorLog {
  /** ATA: errors the drive has logged in its life; NVMe: error log entries. 0 when none. */
  readonly count: number;
  /** The newest entries smartctl printed, newest first. */
  readonly recent: readonly SmartErrorEntry[];
}

export type VerdictLevel = 'healthy' | 'watch' | 'failing' | 'unknown';

export interface VerdictReason {
  readonly level: Exclude<VerdictLevel, 'healthy'>;
  /** A few words for tables ("8 pending sectors"). */
  readonly short: string;
  /** A sentence for the operator, saying what it means for imaging. */
  readonly detail: string;
}

export interface SmartVerdict {
  readonly level: VerdictLevel;
  /** Worst first. Empty when healthy. */
  readonly reasons: readonly VerdictReason[];
  /** What to do about it, in order. */
  readonly advice: readonly string[];
}

export interface SmartData {
  readonly device: string;
  readonly kind: SmartKind;
  readonly identity: SmartIdentity;
  readonly health: SmartHealth;
  readonly attributes: readonly SmartAttribute[];
  readonly errorLog: SmartErrorLog;
  readonly exitStatus: ExitStatus;
  /** smartctl's own messages (warnings about the drive database, attribute checks...). */
  readonly messages: readonly string[];
  /** "7.3" */
  readonly smartctlVersion?: string;
}

export type SmartReport =
  | (SmartData & { readonly available: true; readonly verdict: SmartVerdict })
  | {
      readonly available: false;
      readonly device: string;
      readonly reason: UnavailableReason;
      /** One line for the operator, quoting smartctl where it said something. */
      readonly note: string;
      readonly exitStatus?: ExitStatus;
    };

export type AvailableSmartReport = Extract<SmartReport, { available: true }>;

export interface SmartReadOptions {
  readonly signal?: AbortSignal;
  /** smartctl's `-d` type, for a USB bridge it does not recognise ('sat'); omitted: smartctl picks. */
  readonly deviceType?: 'sat' | 'ata' | 'nvme' | 'scsi' | 'usbjmicron' | 'usbcypress' | 'usbprolific' | 'usbsunplus';
}

/** One way to read a drive's SMART data. Never throws for a missing tool or device; rejects only when aborted. */
export interface SmartBinding {
  read(device: string, opts?: SmartReadOptions): Promise<SmartReport>;
}
