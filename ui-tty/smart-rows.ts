// A SMART report as the drive-detail table's rows, each flagged the way drivers/smart/verdict.ts
// counts it: what makes the verdict "failing" is flagged FAILING, what makes it "watch" WATCH.
import { HDD_HOT_CELSIUS, OLD_HDD_HOURS, SSD_HOT_CELSIUS } from '../drivers/smart/verdict.ts';
import type { AvailableSmartReport, SmartAttribute } from '../drivers/smart/types.ts';
import type { SmartRow } from './view-model.ts';

/** ATA attribute ids verdict.ts reads through SmartHealth, and how a non-zero raw count weighs. */
const COUNTED: Readonly<Record<number, SmartRow['flag']>> = {
  5: 'watch', // reallocated sectors
  187: 'watch', // reported uncorrectable
  197: 'failing', // current pending sectors
  198: 'failing', // offline uncorrectable
  199: 'watch', // interface CRC errors
};
const POWER_ON_HOURS = 9;
const TEMPERATURE = [190, 194];

const three = (n: number): string => String(n).padStart(3, '0');
const worse = (a: SmartRow['flag'], b: SmartRow['flag']): SmartRow['flag'] =>
  a === 'failing' || b === 'failing' ? 'failing' : a === 'watch' || b === 'watch' ? 'watch' : 'ok';

function attributeFlag(a: SmartAttribute, solid: boolean): SmartRow['flag'] {
  let flag: SmartRow['flag'] = a.whenFailed === 'now' ? 'failing' : a.whenFailed === 'past' ? 'watch' : 'ok';
  if (COUNTED[a.id] && a.raw > 0) flag = worse(flag, COUNTED[a.id]);
  // The raw value of these two packs more than the count (min/max temperatures, sub-hour fields).
  if (!solid && a.id === POWER_ON_HOURS && a.raw % 2 ** 32 >= OLD_HDD_HOURS) flag = worse(flag, 'watch');
  if (TEMPERATURE.includes(a.id) && (a.raw & 0xff) >= (solid ? SSD_HOT_CELSIUS : HDD_HOT_CELSIUS)) flag = worse(flag, 'watch');
  return flag;
}

/** Drives without ATA attributes (NVMe, SCSI): their health figures as rows. */
function healthRows(r: AvailableSmartReport): SmartRow[] {
  const h = r.health;
  const n = (v: number): string => v.toLocaleString('en-US');
  const rows: [string, number | undefined, (v: number) => string, (v: number) => SmartRow['flag']][] = [
    ['Critical_Warning', h.criticalWarning, (v) => `0x${v.toString(16).padStart(2, '0')}`, (v) => (v & 0b1101 ? 'failing' : v ? 'watch' : 'ok')],
    ['Available_Spare', h.availableSparePercent, (v) => `${v}%`,
      (v) => (h.availableSpareThresholdPercent !== undefined && v < h.availableSpareThresholdPercent ? 'failing' : 'ok')],
    ['Percentage_Used', h.percentageUsed, (v) => `${v}%`, (v) => (v >= 100 ? 'watch' : 'ok')],
    ['Media_Errors', h.mediaErrors, n, (v) => (v > 0 ? 'failing' : 'ok')],
    ['Uncorrected_Read_Errors', h.uncorrectedReadErrors, n, (v) => (v > 0 ? 'failing' : 'ok')],
    ['Grown_Defects', h.grownDefects, n, (v) => (v > 0 ? 'watch' : 'ok')],
    ['Power_On_Hours', h.powerOnHours, n, () => 'ok'],
    ['Temperature', h.temperatureCelsius, (v) => `${v} C`, (v) => (v >= SSD_HOT_CELSIUS ? 'watch' : 'ok')],
  ];
  return rows
    .filter(([, v]) => v !== undefined)
    .map(([name, v, text, flag]) => ({ id: '', name, value: '', threshold: '', raw: text(v as number), flag: flag(v as number) }));
}

export function smartRows(r: AvailableSmartReport): SmartRow[] {
  if (r.attributes.length === 0) return healthRows(r);
  const solid = r.identity.rotationRpm === 0;
  return r.attributes.map((a) => ({
    id: String(a.id),
    name: a.name,
    value: three(a.value),
    threshold: a.threshold === undefined ? '' : three(a.threshold),
    raw: a.rawString,
    flag: attributeFlag(a, solid),
  }));
}
