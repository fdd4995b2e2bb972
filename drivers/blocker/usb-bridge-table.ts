// Known USB forensic write-blockers, by USB vendor:product id. Only ids with a source are here;
// a bridge that is not in the table reads 'unknown', never 'engaged'.
//
// Sources:
//  [usb.ids] The USB ID Repository, as shipped by Debian bookworm's `usb.ids` package
//    (2025.07.26-0+deb12u1, /var/lib/usbutils/usb.ids): vendor "13d7  Guidance Software, Inc."
//    (Tableau's owner from 2010) with products "0001  T5 PATA forensic bridge" and
//    "000c  T8-R2 forensic bridge".
//  [tableau-t8] Tableau's T8 documentation, tableau.com/index.php?pageid=docs&doc=t8: "while
//    Tableau's IDE, SATA, and SCSI forensic bridges can be field-switched between read-only
//    (write-block) and read-write modes of operation, the T8 is permanently configured for
//    write-blocking operation."
//
// Searched for and left out, for want of a source giving their ids: the Tableau T35u, T35689iu,
// T8u and T356789iu; Digital Intelligence UltraBlock; Logicube bridges; CRU/WiebeTech forensic
// UltraDocks. usb.ids lists "0e90  WiebeTech, LLC" with only "0100  Storage Adapter V1", which it
// does not call a write-blocker (WiebeTech also sells plain docks), so it is not here either.

export type BlockingMode =
  /** Read-only by design: the id alone says writes are blocked. */
  | 'always'
  /** Field-switchable to read-write: only the bridge itself (tableau-parm) can say which mode it is in. */
  | 'switchable';

export interface KnownBridge {
  readonly vendorId: number;
  readonly productId: number;
  readonly name: string;
  readonly blocking: BlockingMode;
  /** Which source above gives the id and the blocking mode. */
  readonly source: string;
}

export interface KnownBridgeVendor {
  readonly vendorId: number;
  readonly name: string;
  /** The vendor answers Tableau's query command, so tableau-parm can read the bridge's mode. */
  readonly tableauQuery: boolean;
  readonly source: string;
}

export const KNOWN_BRIDGE_VENDORS: readonly KnownBridgeVendor[] = [
  { vendorId: 0x13d7, name: 'Tableau (Guidance Software)', tableauQuery: true, source: 'usb.ids' },
];

export const KNOWN_BRIDGES: readonly KnownBridge[] = [
  // An IDE bridge: switchable per [tableau-t8].
  { vendorId: 0x13d7, productId: 0x0001, name: 'Tableau T5 PATA forensic bridge', blocking: 'switchable', source: 'usb.ids, tableau-t8' },
  // A T8 revision: "permanently configured for write-blocking" per [tableau-t8].
  { vendorId: 0x13d7, productId: 0x000c, name: 'Tableau T8-R2 forensic USB bridge', blocking: 'always', source: 'usb.ids, tableau-t8' },
];

export function findBridge(vendorId: number, productId: number, table = KNOWN_BRIDGES): KnownBridge | undefined {
  return table.find((b) => b.vendorId === vendorId && b.productId === productId);
}

export function findBridgeVendor(vendorId: number, table = KNOWN_BRIDGE_VENDORS): KnownBridgeVendor | undefined {
  return table.find((v) => v.vendorId === vendorId);
}
