// An ATA drive's HPA and DCO state, with the rules a real drive enforces:
// - SET MAX ADDRESS is accepted once per power cycle; a second one is aborted;
// - a volatile SET MAX is lost at power-off (powerCycle());
// - SET MAX beyond the native max, or with the HPA feature set disabled by a DCO, is aborted;
// - READ NATIVE MAX ADDRESS is aborted when the DCO disabled the HPA feature set;
// - DEVICE CONFIGURATION RESTORE is aborted while a Host Protected Area is set, or when the DCO is frozen;
// - on an ACCESSIBLE MAX ADDRESS (ACS-3) drive every set is non-volatile, as on the real thing.

export interface EmulatedAtaDriveSpec {
  readonly model?: string;
  readonly serial?: string;
  readonly firmware?: string;
  /** The factory max: what a DCO restore gives back. */
  readonly realMaxSectors: number;
  /** The max after the DCO (default: realMaxSectors, no DCO shrink). */
  readonly dcoMaxSectors?: number;
  /** The persistent HPA: sectors shown at power-on (default: dcoMaxSectors, no HPA). */
  readonly visibleSectors?: number;
  /** hdparm --dco-identify tokens the drive could disable (default: a usual SATA set). */
  readonly dcoFeatures?: readonly string[];
  /** Tokens the DCO has disabled. */
  readonly dcoDisabled?: readonly string[];
  readonly dcoFrozen?: boolean;
  readonly accessibleMaxAddress?: boolean;
  readonly logicalSectorSize?: number;
  readonly physicalSectorSize?: number;
  /** False: the device takes no ATA commands at all, like a loop device. */
  readonly answers?: boolean;
}

export type DriveAnswer = { readonly ok: true } | { readonly ok: false; readonly errno: 'EIO' };

const ABORT: DriveAnswer = { ok: false, errno: 'EIO' };
const OK: DriveAnswer = { ok: true };

export const DEFAULT_DCO_FEATURES: readonly string[] = ['SMART', 'self_test', 'error_log', 'security', 'AAM', 'HPA', '48_bit', 'NCQ', 'interface_power_management', 'SSP'];

export class EmulatedAtaDrive {
  readonly model: string;
  readonly serial: string;
  readonly firmware: string;
  readonly answers: boolean;
  readonly accessibleMaxAddress: boolean;
  readonly logicalSectorSize: number;
  readonly physicalSectorSize: number;
  readonly dcoFeatures: readonly string[];
  readonly realMaxSectors: number;
  #dcoMax: number;
  #persistentVisible: number;
  #volatileVisible: number | undefined;
  #setMaxUsed = false;
  #dcoDisabled: Set<string>;
  #dcoFrozen: boolean;
  #powerCycles = 0;

  constructor(spec: EmulatedAtaDriveSpec) {
    this.model = spec.model ?? 'EMU ATA DRIVE';
    this.serial = spec.serial ?? 'EMU0000001';
    this.firmware = spec.firmware ?? '1.0';
    this.answers = spec.answers ?? true;
    this.accessibleMaxAddress = spec.accessibleMaxAddress ?? false;
    this.logicalSectorSize = spec.logicalSectorSize ?? 512;
    this.physicalSectorSize = spec.physicalSectorSize ?? this.logicalSectorSize;
    this.dcoFeatures = spec.dcoFeatures ?? DEFAULT_DCO_FEATURES;
    this.realMaxSectors = spec.realMaxSectors;
    this.#dcoMax = spec.dcoMaxSectors ?? spec.realMaxSectors;
    this.#persistentVisible = spec.visibleSectors ?? this.#dcoMax;
    this.#dcoDisabled = new Set(spec.dcoDisabled ?? []);
    this.#dcoFrozen = spec.dcoFrozen ?? false;
    if (!(this.#persistentVisible <= this.#dcoMax && this.#dcoMax <= this.realMaxSectors)) {
      throw new RangeError('an emulated drive needs visible <= DCO max <= real max');
    }
  }

  /** Sectors IDENTIFY reports now. */
  get visibleSectors(): number {
    return this.#volatileVisible ?? this.#persistentVisible;
  }

  /** Sectors READ NATIVE MAX reports: the max the DCO allows. */
  get nativeSectors(): number {
    return this.#dcoMax;
  }

  get dcoDisabled(): readonly string[] {
    return [...this.#dcoDisabled];
  }

  get powerCycles(): number {
    return this.#powerCycles;
  }

  hasFeature(token: string): boolean {
    return this.dcoFeatures.includes(token) && !this.#dcoDisabled.has(token);
  }

  /** Power off and on: volatile settings are gone, SET MAX may be issued again. */
  powerCycle(): void {
    this.#volatileVisible = undefined;
    this.#setMaxUsed = false;
    this.#powerCycles++;
  }

  readNativeMax(): DriveAnswer {
    return this.hasFeature('HPA') || this.accessibleMaxAddress ? OK : ABORT;
  }

  setMax(sectors: number, volatile: boolean): DriveAnswer {
    if (this.#setMaxUsed || this.readNativeMax().ok === false) return ABORT;
    if (!Number.isSafeInteger(sectors) || sectors < 1 || sectors > this.#dcoMax) return ABORT;
    this.#setMaxUsed = true;
    if (volatile && !this.accessibleMaxAddress) this.#volatileVisible = sectors;
    else {
      this.#persistentVisible = sectors;
      this.#volatileVisible = undefined;
    }
    return OK;
  }

  dcoRestore(): DriveAnswer {
    const hpaSet = this.visibleSectors < this.#dcoMax;
    if (hpaSet || this.#dcoFrozen || this.dcoFeatures.length === 0) return ABORT;
    this.#dcoMax = this.realMaxSectors;
    this.#persistentVisible = this.realMaxSectors;
    this.#volatileVisible = undefined;
    this.#dcoDisabled.clear();
    return OK;
  }
}
