// Hash lists that md5sum -c, sha1sum -c and sha256sum -c accept: "<hex>  <file>" per segment file,
// paths relative to the record's folder (run the check from there). A name holding a backslash or a
// newline is escaped as GNU coreutils does: the line starts with '\' and those characters are
// written '\\' and '\n'.

import type { Algo } from './algorithms.ts';
import type { AcquisitionRecord } from './record-schema.ts';

function line(hex: string, file: string): string {
  if (!/[\\\n]/.test(file)) return `${hex}  ${file}`;
  return `\\${hex}  ${file.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`;
}

/** The list for one algorithm, or undefined when no file has a hash of that algorithm. */
export function formatHashList(r: AcquisitionRecord, algo: Algo): string | undefined {
  const lines: string[] = [];
  for (const s of r.output.segments) {
    const h = s.hashes.find((x) => x.algorithm === algo);
    if (h) lines.push(line(h.hex, s.file));
  }
  return lines.length ? lines.join('\n') + '\n' : undefined;
}
