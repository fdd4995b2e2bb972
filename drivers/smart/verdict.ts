// What the SMART figures mean for imaging this drive, in words an operator can act on. The question
// is not "will it die this year" (what monitoring tools answer) but "how carefully must it be read":
// a drive that cannot read some sectors now, or that its own firmware calls failing, is imaged in
// recovery mode first, because it may not survive a second full pass. Pure, so thresholds are tested.

import type { SmartData, SmartVerdict, VerdictLevel, VerdictReason } from './types.ts';

/**
 * Hard drives are specified to about 55-60 °C; a long read keeps the actuator busy for hours and
 * adds heat, so one that is already at 50 °C will pass its limit before the image is done.
 */
export const HDD_HOT_CELSIUS = 50;
/** Flash throttles (NVMe warning composite temperatures are typically 70-85 °C); throttling only slows the copy. */
export const SSD_HOT_CELSIUS = 70;
/**
 * Five years powered on. Backblaze's drive statistics show annual failure rates climbing after
 * the fifth year; for imaging this only means "read it while it still works", so it is a watch reason.
 */
export const OLD_HDD_HOURS = 5 * 8760;

/** NVMe critical warning bits (NVMe base spec, SMART / Health log byte 0). */
const NVME_SPARE_LOW = 1 << 0;
const NVME_TEMPERATURE = 1 << 1;
const NVME_DEGRADED = 1 << 2;
const NVME_READ_ONLY = 1 << 3;
const NVME_BACKUP_FAILED = 1 << 4;

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function reasonsOf(d: SmartData): VerdictReason[] {
  const h = d.health;
  const r: VerdictReason[] = [];
  const failing = (short: string, detail: string): void => void r.push({ level: 'failing', short, detail });
  const watch = (short: string, detail: string): void => void r.push({ level: 'watch', short, detail });

  // The drive's firmware compares its own attributes with the maker's limits: FAILED means past them.
  if (h.passed === false || d.exitStatus.diskFailing) {
    failing('overall SMART FAILED', "The drive's own health check says it is failing.");
  }
  for (const a of h.attributesBelowThreshold) {
    if (a.when === 'now') failing(`${a.name} below threshold`, `Attribute ${a.id} ${a.name} is at or below the maker's failure threshold now.`);
  }
  // Pending sectors could not be read and are not yet remapped: they are unreadable right now, and
  // every attempt on one costs seconds of retries that wear a weak head. Any number counts.
  if (h.pendingSectors) {
    failing(plural(h.pendingSectors, 'pending sector'), `${plural(h.pendingSectors, 'sector')} cannot be read now; expect read errors there.`);
  }
  // Found unreadable by the drive's own offline surface scan: the same story, seen by the drive itself.
  if (h.offlineUncorrectable) {
    failing(plural(h.offlineUncorrectable, 'offline uncorrectable sector'), `The drive's own surface scan found ${plural(h.offlineUncorrectable, 'sector')} it could not read.`);
  }
  // NVMe has no pending count and remaps only on write, so an unrecovered read error means data
  // that may still be unreadable; treat it as we treat pending sectors.
  if (h.mediaErrors) {
    failing(plural(h.mediaErrors, 'media error'), `The drive has had ${plural(h.mediaErrors, 'unrecovered data error')}; some blocks may not read.`);
  }
  if (h.criticalWarning) {
    if (h.criticalWarning & NVME_SPARE_LOW) failing('spare below threshold', 'Available spare blocks are below the threshold: the drive is running out of replacements.');
    if (h.criticalWarning & NVME_DEGRADED) failing('reliability degraded', 'The drive reports its reliability degraded by media or internal errors.');
    if (h.criticalWarning & NVME_READ_ONLY) failing('media read-only', 'The drive has put its media in read-only mode, which it does when it is failing.');
    if (h.criticalWarning & NVME_TEMPERATURE) watch('temperature warning', 'The drive reports a temperature outside its limits.');
    if (h.criticalWarning & NVME_BACKUP_FAILED) watch('backup device failed', 'The volatile memory backup has failed: a power cut may lose cached data.');
  }
  if (h.uncorrectedReadErrors) {
    failing(plural(h.uncorrectedReadErrors, 'uncorrected read error'), `The drive has failed ${plural(h.uncorrectedReadErrors, 'read')} it could not correct.`);
  }
  if (h.lastSelfTest && !h.lastSelfTest.passed && /read/i.test(h.lastSelfTest.status)) {
    failing('last self-test: read failure', `The newest self-test (${h.lastSelfTest.type}) ended "${h.lastSelfTest.status}".`);
  }

  // Remapped sectors read fine (their data moved to spares), but they mark a surface with weak
  // spots, and Backblaze's drive statistics find a non-zero count far more often on drives that
  // went on to fail. Growth during imaging is the sign to change tactics; the maker's threshold
  // above catches the worst.
  if (h.reallocatedSectors) watch(plural(h.reallocatedSectors, 'reallocated sector'), `The drive has remapped ${plural(h.reallocatedSectors, 'sector')}; compare after imaging.`);
  if (h.grownDefects) watch(plural(h.grownDefects, 'grown defect'), `The drive has added ${plural(h.grownDefects, 'defect')} to its list since it left the factory.`);
  if (h.reportedUncorrectable) watch(plural(h.reportedUncorrectable, 'reported uncorrectable error'), `The drive has returned ${plural(h.reportedUncorrectable, 'unreadable-sector error')} in its life.`);
  // CRC errors are the link (cable, connector, USB bridge), not the platters: each one is a retried
  // transfer that slows imaging and can look like a bad drive.
  if (h.crcErrors) watch(plural(h.crcErrors, 'CRC error'), `${plural(h.crcErrors, 'interface CRC error')}: check the cable or bridge before blaming the drive.`);
  for (const a of h.attributesBelowThreshold) {
    if (a.when === 'past') watch(`${a.name} failed in the past`, `Attribute ${a.id} ${a.name} was at or below its threshold at some time.`);
  }
  if (d.kind !== 'nvme' && d.errorLog.count > 0) {
    // NVMe logs are left out on purpose: drivers log harmless "invalid field" entries while probing.
    const last = d.errorLog.recent[0]?.lifetimeHours;
    watch(plural(d.errorLog.count, 'logged error'), `The drive has logged ${plural(d.errorLog.count, 'error')}${last !== undefined ? `, the newest at power-on hour ${last}` : ''}.`);
  }
  if (!r.some((x) => x.short.startsWith('last self-test')) && (h.selfTestErrors || d.exitStatus.selfTestLogHasErrors)) {
    watch('self-test errors', `The self-test log records ${h.selfTestErrors ? plural(h.selfTestErrors, 'failed test') : 'failed tests'}.`);
  }
  if (h.percentageUsed !== undefined && h.percentageUsed >= 100) watch(`${h.percentageUsed}% of rated life used`, 'The drive is past its rated write endurance.');
  const solid = d.kind === 'nvme' || d.identity.rotationRpm === 0;
  const hot = solid ? SSD_HOT_CELSIUS : HDD_HOT_CELSIUS;
  if (h.temperatureCelsius !== undefined && h.temperatureCelsius >= hot) {
    watch(`${h.temperatureCelsius} °C`, `The drive is at ${h.temperatureCelsius} °C before imaging starts; cool it.`);
  }
  if (!solid && h.powerOnHours !== undefined && h.powerOnHours >= OLD_HDD_HOURS) {
    watch(`${plural(h.powerOnHours, 'hour')} powered on`, `The drive has run ${plural(h.powerOnHours, 'hour')} (over five years).`);
  }
  return r;
}

/** Whether smartctl gave any figure a verdict can rest on. */
function hasHealthFigures(d: SmartData): boolean {
  const h = d.health;
  return h.passed !== undefined || d.attributes.length > 0 || h.mediaErrors !== undefined || h.grownDefects !== undefined;
}

export function smartVerdict(d: SmartData): SmartVerdict {
  const reasons = reasonsOf(d);
  const known = hasHealthFigures(d);
  const level: VerdictLevel = reasons.some((x) => x.level === 'failing')
    ? 'failing'
    : reasons.length > 0
      ? 'watch'
      : known
        ? 'healthy'
        : 'unknown';
  const all = known
    ? reasons
    : [...reasons, { level: 'unknown' as const, short: 'no health figures', detail: 'smartctl found the drive but got no health data from it (SMART disabled, or a bridge that does not pass it).' }];
  return { level, reasons: all, advice: adviceFor(level, d) };
}

function adviceFor(level: VerdictLevel, d: SmartData): string[] {
  const a: string[] = [];
  if (level === 'failing') {
    a.push('Image in recovery mode first: copy what reads easily, skip bad areas, and trim and scrape last; it may not survive a second full pass.');
    a.push('Avoid long reads before imaging: no extended self-test or surface scan, they spend what life is left.');
    a.push('Use read timeouts, keep power-on time short, and keep the drive cool.');
  } else if (level === 'watch') {
    a.push('Image normally with read timeouts, and read SMART again afterwards: rising counts mean it is deteriorating.');
  } else if (level === 'unknown') {
    // Recovery mode costs little on a good drive and saves a bad one, so doubt is treated as bad.
    a.push('No health figures: image in recovery mode until you know better.');
  }
  if (d.health.crcErrors) a.push('Check or replace the cable or USB bridge: CRC errors are link errors, and retried transfers slow every pass.');
  if (d.exitStatus.commandFailed) a.push('Some SMART commands failed (smartctl exit bit 2): these figures may be incomplete.');
  return a;
}
