// HPA and DCO through hdparm. A binding runs hdparm (or emulates a drive printing what hdparm
// prints); the parsers and the policy code on top are shared, so an emulated drive exercises
// exactly the code a real one does.

/** hdparm ran and exited (whatever its exit code): its output, for the parsers to judge. */
export interface ToolRan {
  readonly kind: 'ran';
  /** The command line, for logs ("hdparm -N /dev/sdb"). */
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** hdparm could not be run or did not finish: missing, not executable, timed out. */
export interface ToolUnavailable {
  readonly kind: 'unavailable';
  readonly command: string;
  /** One line for an operator. */
  readonly note: string;
}

export type HdparmResult = ToolRan | ToolUnavailable;

/**
 * The hdparm commands imagebox uses. Only setMaxVolatile and dcoRestore change a drive, and only
 * hpa-unlock.ts and dco-restore.ts call them, behind confirmations and the audit log.
 */
export interface AtaBinding {
  /** What the binding is, for logs ("hdparm 9.65 (/usr/sbin/hdparm)", "emulated"). */
  readonly label: string;
  /** `hdparm -N DEV`: visible and native max sectors. */
  readMax(device: string): Promise<HdparmResult>;
  /** `hdparm --dco-identify DEV`. */
  dcoIdentify(device: string): Promise<HdparmResult>;
  /** `hdparm -I DEV`. */
  identify(device: string): Promise<HdparmResult>;
  /** `hdparm --yes-i-know-what-i-am-doing -N SECTORS DEV`: no `p` prefix, so lost at power-off. */
  setMaxVolatile(device: string, sectors: number): Promise<HdparmResult>;
  /** `hdparm --yes-i-know-what-i-am-doing --dco-restore DEV`. */
  dcoRestore(device: string): Promise<HdparmResult>;
}

/** A parser's answer: a value, or one line saying why there is none. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly note: string };

/** From `hdparm -N`. */
export interface MaxSectors {
  /** Sectors the drive shows now (IDENTIFY's capacity). */
  readonly visible: number;
  /** Sectors READ NATIVE MAX ADDRESS reports: the drive without its HPA. */
  readonly native: number;
  /**
   * The drive uses ACS-3 ACCESSIBLE MAX ADDRESS instead of the HPA commands. Its SET is always
   * non-volatile, so hdparm cannot unlock such a drive without changing it for good.
   */
  readonly accessibleMaxAddress: boolean;
}

/** From `hdparm --dco-identify`: what the drive could be with its DCO restored. */
export interface DcoIdentify {
  readonly revision: number;
  /** hdparm 9.4x and later check the structure's checksum; older ones print nothing. */
  readonly checksum: 'verified' | 'failed' | 'not-checked';
  /** The factory max: sectors the drive has with the DCO restored. */
  readonly realMaxSectors: number;
  readonly transferModes: readonly string[];
  /** hdparm's tokens ("SMART", "security", "HPA", "48_bit"...): features the DCO may disable. */
  readonly ataFeatures: readonly string[];
  readonly sataFeatures: readonly string[];
}

export interface IdentifyFeature {
  readonly name: string;
  readonly enabled: boolean;
}

export interface SecurityState {
  readonly supported: boolean;
  readonly enabled: boolean;
  readonly locked: boolean;
  readonly frozen: boolean;
}

/** From `hdparm -I`: what IDENTIFY DEVICE says now (after any DCO). */
export interface AtaIdentity {
  readonly model?: string;
  readonly serial?: string;
  readonly firmware?: string;
  readonly transport?: string;
  /** 28-bit capacity (capped at 268435455). */
  readonly lbaSectors?: number;
  readonly lba48Sectors?: number;
  readonly logicalSectorSize?: number;
  readonly physicalSectorSize?: number;
  /** The "Commands/features" list: what the drive supports now, and what is enabled. */
  readonly features: readonly IdentifyFeature[];
  readonly security?: SecurityState;
}

export interface HpaFinding {
  readonly enabled: boolean;
  readonly hiddenSectors: number;
  readonly hiddenBytes: number;
  /** When the HPA could not be read directly and was inferred (e.g. the DCO disabled the HPA feature set). */
  readonly note?: string;
}

export type DcoFinding =
  | {
      readonly state: 'read';
      readonly realMaxSectors: number;
      /** Sectors beyond the native max that only a DCO restore would show. */
      readonly hiddenSectors: number;
      readonly hiddenBytes: number;
      /** Features the DCO has switched off (in IDENTIFY's words), when IDENTIFY was read. */
      readonly disabledFeatures: readonly string[];
      /** False when IDENTIFY could not be read, so disabledFeatures is unknown (empty). */
      readonly featuresCompared: boolean;
    }
  | { readonly state: 'unavailable'; readonly note: string };

export type HiddenAreas =
  | {
      readonly kind: 'ata';
      readonly device: string;
      /** Bytes per logical sector: hdparm counts logical sectors. */
      readonly sectorSize: number;
      readonly visibleSectors: number;
      readonly nativeSectors: number;
      readonly visibleBytes: number;
      readonly nativeBytes: number;
      readonly accessibleMaxAddress: boolean;
      readonly hpa: HpaFinding;
      readonly dco: DcoFinding;
      readonly identity?: AtaIdentity;
    }
  | { readonly kind: 'not-applicable'; readonly device: string; readonly reason: 'nvme'; readonly note: string }
  | { readonly kind: 'unavailable'; readonly device: string; readonly note: string };

/** Where the acquisition stands; the guarded acts refuse once a job has started reading. */
export interface JobGuard {
  readonly jobId?: string;
  readonly started: boolean;
}

/** The result of a guarded act: done, refused before anything was sent, or sent and failed. */
export type ActResult<T> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly outcome: 'refused' | 'failed'; readonly note: string };
