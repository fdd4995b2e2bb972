// The case metadata and settings an E01 image carries, shared by the writer and the reader.

/** What an examiner types in, and what the acquisition knows about itself and the source. */
export interface E01Metadata {
  caseNumber?: string;
  evidenceNumber?: string;
  examiner?: string;
  /** EnCase's "unique description". */
  description?: string;
  notes?: string;
  acquiredAt?: Date;
  systemDate?: Date;
  /**
   * EnCase 6 headers have no field for the program's name: it is stored (in the version field)
   * only when no softwareVersion is given.
   */
  acquisitionSoftware?: string;
  /** EnCase shows at most 11 characters of it; longer values are cut there. */
  softwareVersion?: string;
  /** EnCase shows at most 23 characters of it; longer values are cut there. */
  os?: string;
  model?: string;
  serial?: string;
}

export type E01Compression = 'none' | 'fast' | 'best';

export type E01MediaType = 'fixed' | 'removable' | 'optical' | 'memory';

/** Sectors whose contents were never read (stored as zeros), as the error2 section lists them. */
export interface SectorRange {
  firstSector: number;
  sectorCount: number;
}

/** Every chunk holds 32 KiB of media, whatever the sector size, as EnCase 6 writes them. */
export const CHUNK_BYTES = 32768;
