// The bridge table against its source (usb.ids), the verdict for each kind of bridge, the
// tableau-parm parser on the fixtures, and the `usb` package's listing on this host.

import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from '../../../hil/kernel-tools.ts';
import { KNOWN_BRIDGES, KNOWN_BRIDGE_VENDORS } from '../../../drivers/blocker/usb-bridge-table.ts';
import { bridgeReading, listUsbDevices } from '../../../drivers/blocker/usb-bridges.ts';
import { parseTableauParm, queryTableau, tableauQueryOf, type TableauQuery } from '../../../drivers/blocker/tableau-parm.ts';
import type { UsbDeviceInfo } from '../../../drivers/blocker/usb-sysfs.ts';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/blocker');
const fixture = (name: string) => readFile(path.join(FIXTURES, name), 'utf8');

/** vendor id -> { name, products: id -> name } from usb.ids text. */
function parseUsbIds(text: string): Map<string, { name: string; products: Map<string, string> }> {
  const vendors = new Map<string, { name: string; products: Map<string, string> }>();
  let current: { name: string; products: Map<string, string> } | undefined;
  for (const line of text.split('\n')) {
    const v = /^([0-9a-f]{4}) {2}(.+)$/.exec(line);
    const p = /^\t([0-9a-f]{4}) {2}(.+)$/.exec(line);
    if (v) vendors.set(v[1], (current = { name: v[2], products: new Map() }));
    else if (p && current) current.products.set(p[1], p[2]);
    else if (/^[A-Z]/.test(line)) current = undefined; // class and language tables follow the vendors
  }
  return vendors;
}

const hex = (n: number) => n.toString(16).padStart(4, '0');
const exists = (file: string) => access(file).then(() => true, () => false);

const USB_IDS_SOURCES = [path.join(FIXTURES, 'usb.ids-excerpt.txt'), '/var/lib/usbutils/usb.ids'];
const usbIdsPresent = await Promise.all(USB_IDS_SOURCES.map(exists));
const tableauInstalled = (await findProgram('tableau-parm')) !== null;
const hasUsbSysfs = await exists('/sys/bus/usb/devices');

describe('known bridge table', () => {
  for (const [i, file] of USB_IDS_SOURCES.entries()) {
    const present = usbIdsPresent[i];
    it.skipIf(!present)(`credits usb.ids only with ids usb.ids lists (${file}${present ? '' : ': usb.ids package not installed'})`, async () => {
      const ids = parseUsbIds(await readFile(file, 'utf8'));
      for (const b of KNOWN_BRIDGES.filter((x) => x.source.includes('usb.ids'))) {
        const product = ids.get(hex(b.vendorId))?.products.get(hex(b.productId));
        expect(product, `${hex(b.vendorId)}:${hex(b.productId)} ${b.name}`).toMatch(/forensic bridge/);
      }
      for (const v of KNOWN_BRIDGE_VENDORS.filter((x) => x.source === 'usb.ids')) expect(ids.has(hex(v.vendorId))).toBe(true);
    });
  }
});

const usb = (vendorId: number, productId: number, extra: Partial<UsbDeviceInfo> = {}): UsbDeviceInfo => ({
  vendorId,
  productId,
  sysPath: '/sys/devices/x',
  port: '2-1',
  ...extra,
});

describe('bridgeReading', () => {
  it('has no usb-bridge reading for a device not on USB', () => {
    expect(bridgeReading('/dev/sda', null)).toBeNull();
  });

  it('engages a bridge that is read-only by design, naming it', () => {
    const r = bridgeReading('/dev/sdb', usb(0x13d7, 0x000c, { serial: 'S1', manufacturer: 'Tableau', product: 'T8-R2' }));
    expect(r).toMatchObject({ method: 'usb-bridge', state: 'engaged' });
    expect(r?.detail).toBe('/dev/sdb: Tableau T8-R2 forensic USB bridge (13d7:000c "Tableau T8-R2" at USB port 2-1, serial S1): write-blocking by design [usb.ids, tableau-t8]');
  });

  it('takes a switchable bridge at its word through tableau-parm, and is unknown without it', async () => {
    const blocked: TableauQuery = { ok: true, report: parseTableauParm(await fixture('tableau-parm-t35es-blocked-hpa.txt')) };
    const writable: TableauQuery = { ok: true, report: parseTableauParm(await fixture('tableau-parm-t5-writable-dco.txt')) };
    const t5 = usb(0x13d7, 0x0001);
    expect(bridgeReading('/dev/sdc', t5, blocked)?.state).toBe('engaged');
    const w = bridgeReading('/dev/sdc', t5, writable);
    expect(w?.state).toBe('not-engaged');
    expect(w?.detail).toMatch(/Tableau T5 PATA forensic bridge .* switchable to read-write; tableau-parm: Tableau T5 .*writes_permitted TRUE; drive Maxtor 6Y080L0 serial Y2ABCDEF, HPA not in use, DCO in use/);
    const missing = bridgeReading('/dev/sdc', t5, { ok: false, unavailable: true, note: 'tableau-parm not installed (Debian package tableau-parm)' });
    expect(missing?.state).toBe('unknown');
    expect(missing?.detail).toMatch(/tableau-parm not installed .*, so its mode is not known$/);
  });

  it('is unknown for an unknown product of a Tableau vendor id, and for any other USB bridge', () => {
    expect(bridgeReading('/dev/sdd', usb(0x13d7, 0x7777))).toMatchObject({ state: 'unknown', detail: expect.stringMatching(/Tableau \(Guidance Software\) bridge 13d7:7777 .* is not a known write-blocker/) });
    expect(bridgeReading('/dev/sde', usb(0x152d, 0x0578))).toMatchObject({ state: 'unknown', detail: expect.stringMatching(/USB bridge 152d:0578 at USB port 2-1 is not a known write-blocker/) });
  });
});

describe('tableau-parm output', () => {
  it('parses a SATA bridge in write-block mode with an HPA', async () => {
    const r = parseTableauParm(await fixture('tableau-parm-t35es-blocked-hpa.txt'));
    expect(r).toMatchObject({
      channelIndex: 0,
      channelType: 'SATA',
      writesPermitted: false,
      declaresWriteBlocked: true,
      bridge: { vendor: 'Tableau', model: 'T35es', serial: '000ECC3500A1B2C3', firmwareDate: 'Jan 23 2013', firmwareTime: '12:20:26' },
      drive: { vendor: '', model: 'WDC WD5000AAKX-001CA0', serial: 'WD-WCAYUJ812345', revision: '15.01H15' },
      hpaDco: { hpaInUse: true, dcoInUse: false, driveCapacity: 976771055, hpaCapacity: 976773168, dcoCapacity: 976773168 },
    });
  });

  it('parses a writable IDE bridge with a DCO, and a USB bridge without the HPA/DCO page', async () => {
    const t5 = parseTableauParm(await fixture('tableau-parm-t5-writable-dco.txt'));
    expect(t5).toMatchObject({ channelType: 'IDE/ATA', writesPermitted: true, hpaDco: { dcoInUse: true, dcoCapacity: 160086528 } });
    expect(t5.raw.dco_challenge_key).toBe('5A 3C 00 01');
    const t8 = parseTableauParm(await fixture('tableau-parm-t8-no-hpa-page.txt'));
    expect(t8.hpaDco).toBeUndefined();
    expect(t8.drive).toEqual({ vendor: 'SanDisk', model: 'Cruzer Blade', serial: '4C530001230918', revision: '1.00' });
  });

  it('names what is missing or malformed', async () => {
    const text = await fixture('tableau-parm-t35es-blocked-hpa.txt');
    expect(() => parseTableauParm('ERROR: Query command failed.\n')).toThrow(/no "## Bridge Information ##" section/);
    expect(() => parseTableauParm(text.replace(/^writes_permitted: .*\n/m, ''))).toThrow(/no writes_permitted line/);
    expect(() => parseTableauParm(text.replace('hpa_in_use: TRUE', 'hpa_in_use: yes'))).toThrow(/hpa_in_use: expected TRUE or FALSE/);
  });

  it('turns a failed run into a note', () => {
    const q = tableauQueryOf('/dev/sdb', { code: 2, stdout: '', stderr: 'ERROR: Response signature mismatch.\n' });
    expect(q).toEqual({ ok: false, unavailable: false, note: 'tableau-parm /dev/sdb: ERROR: Response signature mismatch.' });
  });

  it.skipIf(tableauInstalled)('says the tool is missing rather than failing (tableau-parm is installed here, so this case cannot run)', async () => {
    expect(await queryTableau('/dev/sdb')).toEqual({ ok: false, unavailable: true, note: 'tableau-parm not installed (Debian package tableau-parm)' });
  });
});

describe('USB devices through the usb package', () => {
  it.skipIf(hasUsbSysfs)('returns a note, not a throw, where the host has no USB in sysfs', async () => {
    const r = await listUsbDevices();
    expect(r).toMatchObject({ ok: false, note: expect.stringMatching(/^USB devices unavailable: .*\/sys\/bus\/usb\/devices\/ not found/) });
  });
  it.skipIf(!hasUsbSysfs)('lists the USB devices sysfs lists, by id and port', async () => {
    const r = await listUsbDevices();
    expect(r.ok).toBe(true);
    for (const d of r.ok ? r.devices : []) expect(d.port).toMatch(/^\d+-[\d.]*$/);
  });
});
