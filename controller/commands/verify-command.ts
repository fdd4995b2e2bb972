// `imagebox verify IMAGE [--source DEVICE]`: checks an image and says what failed, and where.
// Exit 0 only when everything checked is good.
import { parseCommandLine } from './command-line.ts';
import { formatOfPath, IMAGE_FORMATS, type ImageFormat } from '../acquire/image-format.ts';
import { openImage } from '../acquire/open-image.ts';
import { verifyImage, type VerifyResult } from '../acquire/verify-image.ts';
import type { Algo } from '../evidence/algorithms.ts';
import type { Verification } from '../evidence/record-schema.ts';
import { hashValues } from '../evidence/record.ts';
import { EXIT, UserError } from '../exit-codes.ts';
import { openRescueSource } from './rescue-source.ts';
import type { CommandIO } from './rescue-command.ts';

export const VERIFY_USAGE = `usage: imagebox verify IMAGE [options]

Checks an image (raw, split raw .001, E01, seekable .zst): every chunk's checksum where the format
has them, every byte re-hashed against the hashes stored in the image and in its acquisition
record (BASE.json), piecewise windows and each segment file's hash. Names every chunk, window,
sector range or file that fails. Exit 0 when everything is good, 1 when something does not verify.
      --format FMT      raw, split, e01 or zst (overrides the extension)
      --source DEVICE   also read the source again and compare it with the image
  -b, --sector-size N   sector size of a file source [512]
      --json            print the result as JSON`;

export async function verifyCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values: v, positionals } = parseCommandLine(
    argv,
    { format: { type: 'string' }, source: { type: 'string' }, 'sector-size': { type: 'string', short: 'b' }, json: { type: 'boolean' } },
    ['IMAGE'],
    VERIFY_USAGE,
  );
  const path = positionals[0];
  const format = formatArg(path, v.format);
  const img = await openImage(path, format).catch((err: Error) => {
    throw new UserError(`${path}: ${err.message}`, EXIT.unreadSectors);
  });
  const src = v.source ? await openRescueSource(v.source, v['sector-size'] ? Number(v['sector-size']) : undefined) : undefined;
  try {
    const result = await verifyImage(img, { source: src?.source });
    if (v.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printResult(io, path, result, img.record !== undefined);
    return result.ok ? EXIT.ok : EXIT.unreadSectors;
  } finally {
    await img.reader.close();
    await src?.source.close();
  }
}

function formatArg(path: string, given: string | undefined): ImageFormat {
  if (given !== undefined) {
    if (!(IMAGE_FORMATS as readonly string[]).includes(given)) throw new UserError(`--format: '${given}' is not one of ${IMAGE_FORMATS.join(', ')}`);
    return given as ImageFormat;
  }
  const f = formatOfPath(path);
  if (!f) throw new UserError(`${path}: cannot tell the format from the extension; use --format`);
  return f;
}

function printResult(io: CommandIO, path: string, r: VerifyResult, hadRecord: boolean): void {
  const lines = [
    ...r.checked.map((c) => `ok   ${c}`),
    ...r.problems.map((p) => `FAIL ${p.message}`),
    ...(hadRecord ? [] : ['note no acquisition record beside the image: only what the image stores was checked']),
    r.ok ? `${path}: verified` : `${path}: DOES NOT VERIFY (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'})`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** The verification an acquisition records when asked to read its image back. */
export async function verifyAfterWrite(first: string, format: ImageFormat, hashes: Partial<Record<Algo, string>>, signal: AbortSignal): Promise<Verification> {
  const img = await openImage(first, format);
  try {
    // The record is not written yet: compare with the hashes just computed.
    const r = await verifyImage({ ...img, record: undefined }, { signal, expected: hashes });
    const ok = r.ok;
    return {
      result: ok ? 'match' : 'mismatch',
      method: 'image read back through its reader, every chunk checked and re-hashed',
      at: new Date().toISOString(),
      hashes: hashValues(r.hashes),
      detail: (ok ? r.checked : r.problems.map((p) => p.message)).join('; '),
    };
  } finally {
    await img.reader.close();
  }
}
