// What the new-job wizard hands over: a plain object, checked and filled with defaults here. Its
// value types and the recovery defaults are the controller's own, so the two cannot drift apart.
import type { ImageFormat } from '../controller/acquire/image-format.ts';
import type { Algo } from '../controller/evidence/algorithms.ts';
import { DEFAULT_OPTIONS, strategyOptions, type ScrapeMode, type Strategy } from '../controller/rescue/options.ts';
import type { JobMode } from './view-model.ts';

export type { ImageFormat, ScrapeMode };
/** 'md5' | 'sha1' | 'sha256' */
export type HashAlgo = Algo;
/** 'ddrescue' | 'smart' */
export type RecoveryStrategy = Strategy;

export interface CaseFields {
  readonly caseNumber: string;
  readonly evidenceNumber: string;
  readonly examiner: string;
  readonly notes: string;
}

export interface ForensicSettings {
  readonly format: ImageFormat;
  /** In the order md5, sha1, sha256. */
  readonly hashes: readonly HashAlgo[];
  readonly case: CaseFields;
}

export interface RecoverySettings {
  readonly strategy: RecoveryStrategy;
  /** Retry passes over bad sectors. */
  readonly retries: number;
  /** Give up on a read that has not answered after this many seconds. */
  readonly readTimeoutSec: number;
  readonly scrape: ScrapeMode;
}

export interface JobRequest {
  readonly port: string;
  readonly mode: JobMode;
  /** An image path (forensic, recovery) or a target device (clone), as typed. */
  readonly destination: string;
  /** Present for forensic jobs only. */
  readonly forensic: ForensicSettings | null;
  readonly recovery: RecoverySettings;
}

/** What the wizard edits: every field of every mode, so going back keeps what was typed. */
export interface JobDraft {
  readonly mode: JobMode;
  readonly destination: string;
  readonly format: ImageFormat;
  readonly hashes: Readonly<Record<HashAlgo, boolean>>;
  readonly case: CaseFields;
  readonly recovery: RecoverySettings;
}

export const HASH_ALGOS: readonly HashAlgo[] = ['md5', 'sha1', 'sha256'];

/** The controller's defaults for a strategy: its retries and scrape, the shared read timeout. */
export function strategyDefaults(strategy: RecoveryStrategy): RecoverySettings {
  const { retries, scrape } = strategyOptions(strategy);
  return { strategy, retries, readTimeoutSec: DEFAULT_OPTIONS.readTimeoutMs / 1000, scrape };
}

export const DEFAULT_DRAFT: JobDraft = {
  mode: 'forensic',
  destination: '',
  format: 'e01',
  hashes: { md5: true, sha1: false, sha256: true },
  case: { caseNumber: '', evidenceNumber: '', examiner: '', notes: '' },
  recovery: strategyDefaults(DEFAULT_OPTIONS.strategy),
};

/** The part of the draft a problem is in, for the wizard to stay on that step. */
export type DraftArea = 'destination' | 'forensic' | 'recovery';

/** What stops the draft from being submitted, or null. */
export function draftProblem(draft: JobDraft): { area: DraftArea; text: string } | null {
  if (draft.destination.trim() === '') {
    return { area: 'destination', text: draft.mode === 'clone' ? 'Enter the target drive.' : 'Enter where the image goes.' };
  }
  if (draft.mode === 'forensic' && !HASH_ALGOS.some((a) => draft.hashes[a])) {
    return { area: 'forensic', text: 'Choose at least one hash.' };
  }
  if (draft.recovery.readTimeoutSec < 1) return { area: 'recovery', text: 'The read timeout must be at least 1 s.' };
  return null;
}

export function toJobRequest(port: string, draft: JobDraft): JobRequest {
  const forensic: ForensicSettings | null = draft.mode === 'forensic'
    ? {
        format: draft.format,
        hashes: HASH_ALGOS.filter((a) => draft.hashes[a]),
        case: { ...draft.case },
      }
    : null;
  return { port, mode: draft.mode, destination: draft.destination.trim(), forensic, recovery: { ...draft.recovery } };
}
