// What an appliance job carries from the wizard to its actors: the operator's request and the
// files it names. The machine reads only `destination` (the space watcher measures its filesystem).
import { formatOfPath, imageNames, type ImageNames } from '../../controller/acquire/image-format.ts';
import type { JobRequest } from '../../ui-tty/job-request.ts';
import type { JobSettings } from '../appliance-job.types.ts';

export interface ApplianceJobSettings extends JobSettings {
  readonly request: JobRequest;
  /** A recovery's image and mapfile, or a forensic acquisition's names (ImageNames). */
  readonly files: JobFiles;
}

export interface JobFiles {
  /** Where the bytes go: an image file, or for a clone the target device. */
  readonly image: string;
  readonly mapfile: string;
  /** The job's own log and its text report: BASE.log, BASE.job.txt. */
  readonly log: string;
  readonly report: string;
  /** A forensic job's container names. */
  readonly forensic?: ImageNames;
}

const EXT = { raw: '.dd', split: '.001', e01: '.E01', zst: '.zst' } as const;

/**
 * The files a request names. A recovery image keeps the name typed (".img" added when it has no
 * extension); a forensic image gets its format's extension; a clone's mapfile and report go
 * beside the images, named after the target device.
 */
export function jobFiles(request: JobRequest, imagesDir: string, now = new Date()): JobFiles {
  const dest = request.destination;
  if (request.mode === 'forensic' && request.forensic) {
    const format = request.forensic.format;
    const output = formatOfPath(dest) === format ? dest : `${dest}${EXT[format]}`;
    const names = imageNames(output, format);
    return { image: names.first, mapfile: names.mapfile, log: names.log, report: `${names.base}.job.txt`, forensic: names };
  }
  if (request.mode === 'clone') {
    const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const base = `${imagesDir}/clone-${dest.replace(/^\/dev\//, '').replace(/\//g, '_')}-${stamp}`;
    return { image: dest, mapfile: `${base}.map`, log: `${base}.log`, report: `${base}.job.txt` };
  }
  const image = /\.[A-Za-z0-9]{1,4}$/.test(dest) ? dest : `${dest}.img`;
  const base = image.replace(/\.[A-Za-z0-9]{1,4}$/, '');
  return { image, mapfile: `${base}.map`, log: `${base}.log`, report: `${base}.job.txt` };
}

export function applianceSettings(request: JobRequest, imagesDir: string): ApplianceJobSettings {
  const files = jobFiles(request, imagesDir);
  return { destination: files.image, request, files };
}
