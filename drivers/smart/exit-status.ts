// smartctl's exit status is a bit mask (man smartctl, "RETURN VALUES"). The low bits say whether
// smartctl could ask at all; the high bits are findings about the drive. Both matter: a drive can
// answer (bits 0-2 clear) and still say it is failing (bit 3).

export interface ExitStatus {
  readonly raw: number;
  /** Bit 0: the command line did not parse (smartctl also sets it when it cannot tell a device's type). */
  readonly commandLine: boolean;
  /** Bit 1: device open failed, no IDENTIFY data came back, or the device is in a low-power mode. */
  readonly deviceOpenFailed: boolean;
  /** Bit 2: some SMART or other command failed, or a SMART data structure had a bad checksum. */
  readonly commandFailed: boolean;
  /** Bit 3: the SMART status check returned "DISK FAILING". */
  readonly diskFailing: boolean;
  /** Bit 4: prefail attributes are at or below their threshold now. */
  readonly prefailBelowThreshold: boolean;
  /** Bit 5: status OK, but some attributes were at or below threshold at some time in the past. */
  readonly pastBelowThreshold: boolean;
  /** Bit 6: the device error log has records of errors. */
  readonly errorLogHasErrors: boolean;
  /** Bit 7: the self-test log has records of errors (ATA: not outdated by a newer good extended test). */
  readonly selfTestLogHasErrors: boolean;
  /** The set bits in words, lowest first. */
  readonly meanings: readonly string[];
}

const BITS = [
  'command line did not parse',
  'device open failed, or it returned no IDENTIFY data, or it is in a low-power mode',
  'a SMART or other command failed, or SMART data had a checksum error',
  'SMART status check returned DISK FAILING',
  'prefail attributes at or below threshold',
  'some attributes were at or below threshold in the past',
  'device error log has errors',
  'self-test log has errors',
] as const;

export function decodeExitStatus(raw: number): ExitStatus {
  const bit = (n: number): boolean => (raw & (1 << n)) !== 0;
  return {
    raw,
    commandLine: bit(0),
    deviceOpenFailed: bit(1),
    commandFailed: bit(2),
    diskFailing: bit(3),
    prefailBelowThreshold: bit(4),
    pastBelowThreshold: bit(5),
    errorLogHasErrors: bit(6),
    selfTestLogHasErrors: bit(7),
    meanings: BITS.filter((_, i) => bit(i)),
  };
}
