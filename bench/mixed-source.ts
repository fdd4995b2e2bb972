// A deterministic source like a used disk: runs of random bytes, zeros and text-like data, in
// 1 MiB pieces whose kind and contents vary, so compressors and hashes see realistic input.
const MiB = 2 ** 20;

function textPiece(seed: number): Buffer {
  const words = ['sector ', 'drive ', 'image ', 'evidence ', 'read ', 'error\n', 'the ', 'of ', 'file ', 'data '];
  const b = Buffer.alloc(MiB);
  let s = seed >>> 0 || 1;
  let i = 0;
  while (i < MiB) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    i += b.write(words[s % words.length], i);
  }
  return b;
}

function randomPiece(seed: number): Buffer {
  const b = Buffer.alloc(MiB);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < MiB; i += 4) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b.writeUInt32LE(s >>> 0, i);
  }
  return b;
}

/** Pieces of 1 MiB: 40% random, 30% zeros, 30% text (by a fixed pattern), each with its own seed. */
export async function* mixedSource(size: number): AsyncGenerator<{ pos: number; data: Buffer }> {
  const zeros = Buffer.alloc(MiB);
  for (let pos = 0, k = 0; pos < size; pos += MiB, k++) {
    const kind = (k * 7) % 10;
    const piece = kind < 4 ? randomPiece(k + 1) : kind < 7 ? zeros : textPiece(k + 1);
    yield { pos, data: piece.subarray(0, Math.min(MiB, size - pos)) };
  }
}
