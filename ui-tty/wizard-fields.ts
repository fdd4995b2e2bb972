// The new-job wizard's steps and fields as data: what each field edits in the draft, its choices,
// and a line saying what it does. The wizard screen only lays these out and routes keys.
import type { Key } from 'ink';
import { strategyDefaults, type HashAlgo, type JobDraft } from './job-request.ts';
import type { JobMode } from './view-model.ts';

export type StepName = 'mode' | 'destination' | 'forensic' | 'recovery' | 'confirm';

export const STEP_TITLES: Readonly<Record<StepName, string>> = {
  mode: 'What kind of job',
  destination: 'Where it goes',
  forensic: 'Image format, hashes and case',
  recovery: 'How to read a damaged drive',
  confirm: 'Check and start',
};

export function stepsFor(mode: JobMode): StepName[] {
  return mode === 'forensic'
    ? ['mode', 'destination', 'forensic', 'recovery', 'confirm']
    : ['mode', 'destination', 'recovery', 'confirm'];
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  /** The explanation shown while this choice is selected. */
  readonly help: string;
}

interface FieldBase {
  readonly label: string;
}

export type Field =
  | FieldBase & { kind: 'choice'; choices: readonly Choice[]; get(d: JobDraft): string; set(d: JobDraft, v: string): JobDraft }
  | FieldBase & { kind: 'toggle'; help: string; get(d: JobDraft): boolean; set(d: JobDraft, v: boolean): JobDraft }
  | FieldBase & { kind: 'text'; help: string | ((d: JobDraft) => string); get(d: JobDraft): string; set(d: JobDraft, v: string): JobDraft }
  | FieldBase & { kind: 'number'; help: string; unit: string; max: number; step: number; get(d: JobDraft): number; set(d: JobDraft, v: number): JobDraft };

export const MODE_FIELD: Field = {
  kind: 'choice', label: 'Mode',
  choices: [
    { value: 'forensic', label: 'Forensic image', help: 'A hashed, write-blocked image (raw, split, E01 or zst) with an acquisition record.' },
    { value: 'recovery', label: 'Recovery', help: 'Rescue what a failing drive still gives into an image file, with a ddrescue mapfile.' },
    { value: 'clone', label: 'Clone', help: 'Copy the drive onto another drive; everything on the target is overwritten.' },
  ],
  get: (d) => d.mode,
  set: (d, v) => ({ ...d, mode: v as JobMode }),
};

const DESTINATION: Field = {
  kind: 'text', label: 'Destination',
  help: (d) => d.mode === 'clone'
    ? 'The target drive, e.g. /dev/sdf: it must be at least as large as the source.'
    : 'The image file, e.g. /mnt/evidence/case12/disk1.E01; a missing folder is made.',
  get: (d) => d.destination,
  set: (d, v) => ({ ...d, destination: v }),
};

const hashField = (algo: HashAlgo, label: string, help: string): Field => ({
  kind: 'toggle', label, help,
  get: (d) => d.hashes[algo],
  set: (d, v) => ({ ...d, hashes: { ...d.hashes, [algo]: v } }),
});

const caseField = (key: keyof JobDraft['case'], label: string, help: string): Field => ({
  kind: 'text', label, help,
  get: (d) => d.case[key],
  set: (d, v) => ({ ...d, case: { ...d.case, [key]: v } }),
});

const FORENSIC: readonly Field[] = [
  {
    kind: 'choice', label: 'Format',
    choices: [
      { value: 'e01', label: 'E01', help: 'EnCase 6: compressed, opens in every forensic suite; always holds MD5.' },
      { value: 'raw', label: 'raw', help: 'A plain byte-for-byte copy (dd image), as large as the drive.' },
      { value: 'split', label: 'split', help: 'Raw in 2 GiB pieces (.001, .002, ...) for file systems with a size limit.' },
      { value: 'zst', label: 'zst', help: 'Seekable zstd: compressed, random access, plain `zstd -d` restores it.' },
    ],
    get: (d) => d.format,
    set: (d, v) => ({ ...d, format: v as JobDraft['format'] }),
  },
  hashField('md5', 'MD5', 'Computed while reading; the hash most reports and tools still expect.'),
  hashField('sha1', 'SHA-1', 'Computed while reading; E01 stores it beside MD5.'),
  hashField('sha256', 'SHA-256', 'Computed while reading; the strong one, kept in the acquisition record.'),
  caseField('caseNumber', 'Case number', 'Goes into the record and the E01 header (optional).'),
  caseField('evidenceNumber', 'Evidence no.', 'The exhibit number of this drive (optional).'),
  caseField('examiner', 'Examiner', 'Who makes this image (optional).'),
  caseField('notes', 'Notes', 'Anything worth recording about the evidence (optional).'),
];

const RECOVERY: readonly Field[] = [
  {
    kind: 'choice', label: 'Strategy',
    choices: [
      { value: 'ddrescue', label: 'ddrescue', help: "GNU ddrescue's copy, trim, scrape and retry passes, read for read." },
      { value: 'smart', label: 'smart', help: 'Rescues what ddrescue rescues with far fewer failed reads: probes bad areas first.' },
    ],
    get: (d) => d.recovery.strategy,
    // A strategy comes with its own retries and scrape; the timeout is the operator's.
    set: (d, v) => ({
      ...d,
      recovery: { ...strategyDefaults(v as JobDraft['recovery']['strategy']), readTimeoutSec: d.recovery.readTimeoutSec },
    }),
  },
  {
    kind: 'number', label: 'Retries', unit: 'passes', max: 99, step: 1,
    help: 'Passes over the bad sectors once everything else is read (ddrescue -r).',
    get: (d) => d.recovery.retries,
    set: (d, v) => ({ ...d, recovery: { ...d.recovery, retries: v } }),
  },
  {
    kind: 'number', label: 'Read timeout', unit: 's', max: 600, step: 5,
    help: 'A read with no answer after this long is given up and the drive reopened.',
    get: (d) => d.recovery.readTimeoutSec,
    set: (d, v) => ({ ...d, recovery: { ...d.recovery, readTimeoutSec: v } }),
  },
  {
    kind: 'choice', label: 'Scrape',
    choices: [
      { value: 'all', label: 'all', help: 'Read every sector of the failed areas once: thorough, slow on a dying drive.' },
      { value: 'sample', label: 'sample', help: 'Probe around samples in failed areas; gives up early on dead ones.' },
      { value: 'none', label: 'none', help: 'Leave failed areas unread for now; a later run can scrape them.' },
    ],
    get: (d) => d.recovery.scrape,
    set: (d, v) => ({ ...d, recovery: { ...d.recovery, scrape: v as JobDraft['recovery']['scrape'] } }),
  },
];

export function fieldsOf(step: StepName): readonly Field[] {
  if (step === 'mode') return [MODE_FIELD];
  if (step === 'destination') return [DESTINATION];
  if (step === 'forensic') return FORENSIC;
  if (step === 'recovery') return RECOVERY;
  return [];
}

export function fieldHelp(field: Field, d: JobDraft): string {
  if (field.kind === 'choice') return field.choices.find((c) => c.value === field.get(d))?.help ?? '';
  return typeof field.help === 'function' ? field.help(d) : field.help;
}

/** Printable text in a key press (typed or pasted), without control characters. */
function printable(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  return input.replace(/[\x00-\x1f\x7f]/g, '');
}

/** The draft after a key press on a field, or null when the key means nothing to the field. */
export function editField(field: Field, d: JobDraft, input: string, key: Key): JobDraft | null {
  const erase = key.backspace || key.delete;
  switch (field.kind) {
    case 'choice': {
      const dir = key.leftArrow ? -1 : key.rightArrow || input === ' ' ? 1 : 0;
      if (dir === 0) return null;
      const at = field.choices.findIndex((c) => c.value === field.get(d));
      return field.set(d, field.choices[(at + dir + field.choices.length) % field.choices.length].value);
    }
    case 'toggle':
      return input === ' ' || key.leftArrow || key.rightArrow ? field.set(d, !field.get(d)) : null;
    case 'text': {
      if (erase) return field.set(d, field.get(d).slice(0, -1));
      const text = printable(input, key);
      return text === '' ? null : field.set(d, field.get(d) + text);
    }
    case 'number': {
      const v = field.get(d);
      const clamp = (n: number): number => Math.min(field.max, Math.max(0, n));
      if (key.leftArrow) return field.set(d, clamp(v - field.step));
      if (key.rightArrow) return field.set(d, clamp(v + field.step));
      if (erase) return field.set(d, Math.floor(v / 10));
      return /^[0-9]$/.test(input) ? field.set(d, clamp(v * 10 + Number(input))) : null;
    }
  }
}
