// The drive's own figures out of smartctl's JSON: identity, the attributes and counters that
// matter when imaging, and the error log. ATA (direct or behind SAT/USB bridges), NVMe and SCSI
// each keep them in different places; this file knows where.

import { at, bool, isObj, list, num, str } from './json-access.ts';
import type { SmartAttribute, SmartErrorEntry, SmartErrorLog, SmartHealth, SmartIdentity, SmartKind } from './types.ts';

export function kindOf(json: unknown): SmartKind | undefined {
  const protocol = str(json, 'device', 'protocol');
  if (protocol === 'NVMe') return 'nvme';
  if (protocol === 'SCSI') return 'scsi';
  if (protocol === 'ATA') return str(json, 'device', 'type') === 'ata' ? 'ata' : 'sat';
  return undefined;
}

/** "[USB JMicron]" in smartctl's info_name: the bridge it recognised and drove with a vendor protocol. */
function usbBridgeOf(json: unknown): string | undefined {
  return /\[(USB[^\]]*)\]/.exec(str(json, 'device', 'info_name') ?? '')?.[1];
}

function interfaceWords(json: unknown, kind: SmartKind, usbBridge: string | undefined): string {
  if (kind === 'nvme') return 'NVMe';
  if (kind === 'scsi') return str(json, 'scsi_transport_protocol', 'name') ?? 'SCSI';
  let words = str(json, 'sata_version', 'string') ?? 'ATA';
  const max = str(json, 'interface_speed', 'max', 'string');
  const now = str(json, 'interface_speed', 'current', 'string');
  // A link running below the drive's best speed is worth showing: a poor cable or bridge slows
  // every pass and its CRC retries can pass for a failing drive.
  if (now && max && now !== max) words += ` (${now} now, ${max} max)`;
  else if (max) words += ` (${max})`;
  return usbBridge ? `${words} via ${usbBridge}` : words;
}

export function identityOf(json: unknown, kind: SmartKind): SmartIdentity {
  const usbBridge = usbBridgeOf(json);
  const scsiName = [str(json, 'scsi_vendor'), str(json, 'scsi_product')].filter(Boolean).join(' ');
  const nsLba = num(list(json, 'nvme_namespaces')[0], 'formatted_lba_size');
  return {
    model: str(json, 'model_name') ?? str(json, 'scsi_model_name') ?? (scsiName || undefined),
    serial: str(json, 'serial_number'),
    firmware: str(json, 'firmware_version') ?? str(json, 'scsi_revision'),
    capacityBytes: num(json, 'user_capacity', 'bytes') ?? num(json, 'nvme_total_capacity'),
    logicalSectorSize: num(json, 'logical_block_size') ?? nsLba,
    physicalSectorSize: num(json, 'physical_block_size'),
    rotationRpm: num(json, 'rotation_rate'),
    interface: interfaceWords(json, kind, usbBridge),
    deviceType: str(json, 'device', 'type') ?? kind,
    ...(usbBridge ? { usbBridge } : {}),
  };
}

export function attributesOf(json: unknown): SmartAttribute[] {
  const out: SmartAttribute[] = [];
  for (const a of list(json, 'ata_smart_attributes', 'table')) {
    const id = num(a, 'id');
    const value = num(a, 'value');
    if (id === undefined || value === undefined) continue;
    const wf = str(a, 'when_failed');
    const raw = num(a, 'raw', 'value') ?? 0;
    out.push({
      id,
      name: str(a, 'name') ?? `Attribute_${id}`,
      value,
      worst: num(a, 'worst') ?? value,
      threshold: num(a, 'thresh'),
      prefailure: bool(a, 'flags', 'prefailure') ?? false,
      whenFailed: wf === 'now' || wf === 'past' ? wf : '',
      raw,
      rawString: str(a, 'raw', 'string') ?? String(raw),
    });
  }
  return out;
}

/**
 * An attribute's count as smartctl reads it. The raw value often packs several fields into 48 bits
 * (temperature with min/max, Seagate's power-on hours with minutes); smartctl's string leads with
 * the figure its drive database says is the count, so that is the one taken.
 */
function countOf(attrs: readonly SmartAttribute[], id: number): number | undefined {
  const a = attrs.find((x) => x.id === id);
  if (!a) return undefined;
  const lead = /^\s*(\d+)/.exec(a.rawString);
  return lead ? Number(lead[1]) : a.raw;
}

function selfTestsOf(json: unknown): Pick<SmartHealth, 'selfTestErrors' | 'lastSelfTest'> {
  const log = at(json, 'ata_smart_self_test_log', 'extended') ?? at(json, 'ata_smart_self_test_log', 'standard');
  if (!isObj(log)) return {};
  const newest = list(log, 'table')[0];
  const passed = bool(newest, 'status', 'passed');
  return {
    selfTestErrors: num(log, 'error_count_total'),
    ...(newest !== undefined && passed !== undefined
      ? {
          lastSelfTest: {
            type: str(newest, 'type', 'string') ?? 'self-test',
            passed,
            status: str(newest, 'status', 'string') ?? '',
            lifetimeHours: num(newest, 'lifetime_hours'),
          },
        }
      : {}),
  };
}

export function healthOf(json: unknown, kind: SmartKind, attrs: readonly SmartAttribute[]): SmartHealth {
  const below = attrs.filter((a) => a.whenFailed !== '').map((a) => ({ id: a.id, name: a.name, when: a.whenFailed as 'now' | 'past' }));
  const common = {
    passed: bool(json, 'smart_status', 'passed'),
    temperatureCelsius: num(json, 'temperature', 'current'),
    powerOnHours: num(json, 'power_on_time', 'hours'),
    attributesBelowThreshold: below,
  };
  if (kind === 'nvme') {
    const log = at(json, 'nvme_smart_health_information_log');
    return {
      ...common,
      temperatureCelsius: common.temperatureCelsius ?? num(log, 'temperature'),
      powerOnHours: common.powerOnHours ?? num(log, 'power_on_hours'),
      mediaErrors: num(log, 'media_errors'),
      criticalWarning: num(log, 'critical_warning'),
      availableSparePercent: num(log, 'available_spare'),
      availableSpareThresholdPercent: num(log, 'available_spare_threshold'),
      percentageUsed: num(log, 'percentage_used'),
    };
  }
  if (kind === 'scsi') {
    return {
      ...common,
      grownDefects: num(json, 'scsi_grown_defect_list'),
      uncorrectedReadErrors: num(json, 'scsi_error_counter_log', 'read', 'total_uncorrected_errors'),
    };
  }
  return {
    ...common,
    temperatureCelsius: common.temperatureCelsius ?? countOf(attrs, 194),
    powerOnHours: common.powerOnHours ?? countOf(attrs, 9),
    reallocatedSectors: countOf(attrs, 5),
    pendingSectors: countOf(attrs, 197),
    offlineUncorrectable: countOf(attrs, 198),
    reportedUncorrectable: countOf(attrs, 187),
    commandTimeouts: countOf(attrs, 188),
    crcErrors: countOf(attrs, 199),
    ...selfTestsOf(json),
  };
}

/** The LBA in smartctl's description ("Error: UNC 8 sectors at LBA = 0x0042ea00 = 4385280"): the
 * completion registers hold only its low 28 bits. */
function lbaOfDescription(d: string): number | undefined {
  const m = /LBA = 0x[0-9a-f]+ = (\d+)/i.exec(d);
  return m ? Number(m[1]) : undefined;
}

const RECENT = 5;

export function errorLogOf(json: unknown, kind: SmartKind): SmartErrorLog {
  if (kind === 'nvme') {
    const recent: SmartErrorEntry[] = list(json, 'nvme_error_information_log', 'table')
      .slice(0, RECENT)
      .map((e) => ({
        number: num(e, 'error_count'),
        description: str(e, 'status_field', 'string') ?? 'error',
        lba: num(e, 'lba', 'value'),
      }));
    return { count: num(json, 'nvme_smart_health_information_log', 'num_err_log_entries') ?? 0, recent };
  }
  if (kind === 'scsi') {
    const counters = at(json, 'scsi_error_counter_log');
    const count = ['read', 'write', 'verify'].reduce((n, k) => n + (num(counters, k, 'total_uncorrected_errors') ?? 0), 0);
    return { count, recent: [] };
  }
  // -x reads the extended comprehensive log when the drive has one; -a the summary log.
  const log = at(json, 'ata_smart_error_log', 'extended') ?? at(json, 'ata_smart_error_log', 'summary');
  const recent: SmartErrorEntry[] = list(log, 'table')
    .slice(0, RECENT)
    .map((e) => {
      const description = str(e, 'error_description') ?? 'error';
      return {
        number: num(e, 'error_number'),
        lifetimeHours: num(e, 'lifetime_hours'),
        description,
        lba: lbaOfDescription(description),
      };
    });
  return { count: num(log, 'count') ?? 0, recent };
}

/** True when the JSON holds anything about the drive itself, beyond smartctl's own envelope. */
export function hasDriveData(json: unknown): boolean {
  return [
    'model_name',
    'scsi_model_name',
    'serial_number',
    'smart_status',
    'ata_smart_attributes',
    'nvme_smart_health_information_log',
    'user_capacity',
  ].some((k) => at(json, k) !== undefined);
}
