// The "USBRelay" HID relay boards (V-USB firmware, shared id 16c0:05df, product "USBRelay1".."8"),
// byte for byte: 8-byte HID feature reports (report id 0) sent with SET_REPORT and read with
// GET_REPORT. As reconstructed by pavel-a/usb-relay-hid (lib/usb_relay_lib.c, doc/hidrelay.md):
//   set:  [0xFF, n] relay n on, [0xFD, n] relay n off, [0xFE] all on, [0xFC] all off, rest 0
//   get:  bytes 0-4 the board's 5-character id (printable ASCII), byte 5 zero, byte 7 the relay
//         states, bit n-1 = relay n on.
// Pure: bytes in, values out.

export const USB_RELAY_VENDOR_ID = 0x16c0;
export const USB_RELAY_PRODUCT_ID = 0x05df;
export const REPORT_LENGTH = 8;
export const ID_LENGTH = 5;

export const HID_GET_REPORT = 0x01;
export const HID_SET_REPORT = 0x09;
/** wValue of a feature report with report id 0: report type 3 (feature) in the high byte. */
export const FEATURE_REPORT_0 = 0x0300;

export const CMD_ON = 0xff;
export const CMD_ALL_ON = 0xfe;
export const CMD_OFF = 0xfd;
export const CMD_ALL_OFF = 0xfc;

export type RelayCommand =
  | { readonly kind: 'on'; readonly relay: number }
  | { readonly kind: 'off'; readonly relay: number }
  | { readonly kind: 'all-on' }
  | { readonly kind: 'all-off' };

export interface RelayStatus {
  /** The board's own 5-character id (not the USB serial number). */
  readonly id: string;
  /** Bit n-1 set when relay n is on. */
  readonly mask: number;
}

/** The relay count a product name announces ("USBRelay2" -> 2), or undefined for any other name. */
export function relayCountOf(productName: string | null | undefined): number | undefined {
  const m = /^USBRelay([1-8])$/.exec(productName ?? '');
  return m ? Number(m[1]) : undefined;
}

export function encodeCommand(cmd: RelayCommand): Uint8Array {
  const report = new Uint8Array(REPORT_LENGTH);
  if (cmd.kind === 'all-on' || cmd.kind === 'all-off') {
    report[0] = cmd.kind === 'all-on' ? CMD_ALL_ON : CMD_ALL_OFF;
    return report;
  }
  if (!Number.isInteger(cmd.relay) || cmd.relay < 1 || cmd.relay > 8) throw new RangeError(`relay must be 1-8, got ${cmd.relay}`);
  report[0] = cmd.kind === 'on' ? CMD_ON : CMD_OFF;
  report[1] = cmd.relay;
  return report;
}

/** The board's reading of a SET_REPORT: the command, or why the firmware would ignore it. */
export function decodeCommand(report: Uint8Array): RelayCommand | { readonly error: string } {
  if (report.length !== REPORT_LENGTH) return { error: `a command report is ${REPORT_LENGTH} bytes, got ${report.length}` };
  switch (report[0]) {
    case CMD_ALL_ON:
      return { kind: 'all-on' };
    case CMD_ALL_OFF:
      return { kind: 'all-off' };
    case CMD_ON:
    case CMD_OFF:
      if (report[1] < 1 || report[1] > 8) return { error: `relay number ${report[1]} out of 1-8` };
      return report[0] === CMD_ON ? { kind: 'on', relay: report[1] } : { kind: 'off', relay: report[1] };
    default:
      return { error: `unknown command byte 0x${report[0].toString(16).padStart(2, '0')}` };
  }
}

export function encodeStatus(status: RelayStatus): Uint8Array {
  if (!isBoardId(status.id)) throw new RangeError(`bad board id ${JSON.stringify(status.id)}`);
  const report = new Uint8Array(REPORT_LENGTH);
  for (let i = 0; i < ID_LENGTH; i++) report[i] = status.id.charCodeAt(i);
  report[7] = status.mask & 0xff;
  return report;
}

/** Checks a GET_REPORT answer the way the vendor's library does before trusting its state byte. */
export function decodeStatus(report: Uint8Array): RelayStatus | { readonly error: string } {
  if (report.length !== REPORT_LENGTH) return { error: `a status report is ${REPORT_LENGTH} bytes, got ${report.length}` };
  const id = String.fromCharCode(...report.subarray(0, ID_LENGTH));
  if (!isBoardId(id)) return { error: 'bytes 0-4 are not a board id (printable ASCII)' };
  if (report[ID_LENGTH] !== 0) return { error: 'byte 5 (the id terminator) is not zero' };
  return { id, mask: report[7] };
}

export function relayIsOn(mask: number, relay: number): boolean {
  return (mask & (1 << (relay - 1))) !== 0;
}

function isBoardId(id: string): boolean {
  return /^[\x21-\x7e]{5}$/.test(id);
}
