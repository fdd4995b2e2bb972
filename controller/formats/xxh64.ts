// XXH64 (Yann Collet's xxHash, 64-bit), the checksum zstd frames and seek tables carry.
//
// JavaScript has no 64-bit integer multiply: on two 32-bit halves it ran at ~60 MB/s and with
// BigInt slower still, which would make checking a 1 TB image take hours. WebAssembly has i64
// arithmetic, so the algorithm is written below as a small WebAssembly function, assembled here
// from named opcodes (no toolchain, no dependency). Data is copied into the module's memory first.

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

// WebAssembly opcodes used (names as in the spec's text format).
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, ELSE = 0x05, END = 0x0b, BR = 0x0c, BR_IF = 0x0d;
const VOID = 0x40, I32 = 0x7f, I64 = 0x7e;
const LOCAL_GET = 0x20, LOCAL_SET = 0x21;
const I64_LOAD = 0x29, I64_LOAD8_U = 0x31, I64_LOAD32_U = 0x35;
const I32_CONST = 0x41, I64_CONST = 0x42;
const I32_LT_U = 0x49, I32_GT_U = 0x4b, I32_LE_U = 0x4d, I32_GE_U = 0x4f;
const I32_ADD = 0x6a, I32_SUB = 0x6b;
const I64_ADD = 0x7c, I64_MUL = 0x7e, I64_XOR = 0x85, I64_SHR_U = 0x88, I64_ROTL = 0x89;
const I64_EXTEND_I32_U = 0xad;

// Locals: parameters (ptr, len, seed), then p, end, lim (i32) and v1..v4, h (i64).
const PTR = 0, LEN = 1, SEED = 2, P = 3, END_ = 4, LIM = 5, V1 = 6, V2 = 7, V3 = 8, V4 = 9, HASH = 10;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const get = (i: number): number[] => [LOCAL_GET, i];
const set = (i: number): number[] => [LOCAL_SET, i];
const i64 = (v: bigint): number[] => [I64_CONST, ...sleb(BigInt.asIntN(64, v))];
const i32 = (v: number): number[] => [I32_CONST, ...sleb(BigInt(v))];
/** memarg: alignment exponent, then offset */
const load = (op: number, align: number, offset: number): number[] => [op, align, ...uleb(offset)];

/** Leaves round(acc, u64 at p+offset) = rotl(acc + input * P2, 31) * P1 on the stack. */
const roundOf = (acc: number[], offset: number): number[] => [
  ...acc, ...get(P), ...load(I64_LOAD, 3, offset), ...i64(P2), I64_MUL, I64_ADD,
  ...i64(31n), I64_ROTL, ...i64(P1), I64_MUL,
];
const rotlOf = (local: number, r: bigint): number[] => [...get(local), ...i64(r), I64_ROTL];
/** h = (h ^ round(0, v)) * P1 + P4 */
const merge = (v: number): number[] => [
  ...get(HASH), ...roundOfValue(get(v)), I64_XOR, ...i64(P1), I64_MUL, ...i64(P4), I64_ADD, ...set(HASH),
];
function roundOfValue(value: number[]): number[] {
  return [...i64(0n), ...value, ...i64(P2), I64_MUL, I64_ADD, ...i64(31n), I64_ROTL, ...i64(P1), I64_MUL];
}
const advance = (n: number): number[] => [...get(P), ...i32(n), I32_ADD, ...set(P)];
/** h ^= h >> s */
const xorShift = (s: bigint): number[] => [...get(HASH), ...get(HASH), ...i64(s), I64_SHR_U, I64_XOR, ...set(HASH)];

const body: number[] = [
  ...get(PTR), ...set(P),
  ...get(PTR), ...get(LEN), I32_ADD, ...set(END_),
  ...get(LEN), ...i32(32), I32_GE_U, IF, VOID,
    ...get(SEED), ...i64(P1), I64_ADD, ...i64(P2), I64_ADD, ...set(V1),
    ...get(SEED), ...i64(P2), I64_ADD, ...set(V2),
    ...get(SEED), ...set(V3),
    ...get(SEED), ...i64(-P1), I64_ADD, ...set(V4),
    ...get(END_), ...i32(32), I32_SUB, ...set(LIM),
    LOOP, VOID,
      ...roundOf(get(V1), 0), ...set(V1),
      ...roundOf(get(V2), 8), ...set(V2),
      ...roundOf(get(V3), 16), ...set(V3),
      ...roundOf(get(V4), 24), ...set(V4),
      ...advance(32),
      ...get(P), ...get(LIM), I32_LE_U, BR_IF, 0,
    END,
    ...rotlOf(V1, 1n), ...rotlOf(V2, 7n), I64_ADD, ...rotlOf(V3, 12n), I64_ADD, ...rotlOf(V4, 18n), I64_ADD, ...set(HASH),
    ...merge(V1), ...merge(V2), ...merge(V3), ...merge(V4),
  ELSE,
    ...get(SEED), ...i64(P5), I64_ADD, ...set(HASH),
  END,
  ...get(HASH), ...get(LEN), I64_EXTEND_I32_U, I64_ADD, ...set(HASH),
  // 8-byte lanes left
  BLOCK, VOID, LOOP, VOID,
    ...get(P), ...i32(8), I32_ADD, ...get(END_), I32_GT_U, BR_IF, 1,
    ...get(HASH), ...roundOfValue([...get(P), ...load(I64_LOAD, 3, 0)]), I64_XOR,
    ...i64(27n), I64_ROTL, ...i64(P1), I64_MUL, ...i64(P4), I64_ADD, ...set(HASH),
    ...advance(8),
    BR, 0,
  END, END,
  // one 4-byte lane
  ...get(P), ...i32(4), I32_ADD, ...get(END_), I32_LE_U, IF, VOID,
    ...get(HASH), ...get(P), ...load(I64_LOAD32_U, 2, 0), ...i64(P1), I64_MUL, I64_XOR,
    ...i64(23n), I64_ROTL, ...i64(P2), I64_MUL, ...i64(P3), I64_ADD, ...set(HASH),
    ...advance(4),
  END,
  // single bytes
  BLOCK, VOID, LOOP, VOID,
    ...get(P), ...get(END_), I32_LT_U, IF, VOID,
      ...get(HASH), ...get(P), ...load(I64_LOAD8_U, 0, 0), ...i64(P5), I64_MUL, I64_XOR,
      ...i64(11n), I64_ROTL, ...i64(P1), I64_MUL, ...set(HASH),
      ...advance(1),
      BR, 1,
    END,
  END, END,
  // avalanche
  ...xorShift(33n), ...get(HASH), ...i64(P2), I64_MUL, ...set(HASH),
  ...xorShift(29n), ...get(HASH), ...i64(P3), I64_MUL, ...set(HASH),
  ...xorShift(32n),
  ...get(HASH),
  END,
];

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];
const locals = [2, 3, I32, 5, I64];
const funcBody = [...locals, ...body];

const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 3, I32, I32, I64, 1, I64]),
  ...section(2, [1, ...name('m'), ...name('memory'), 0x02, 0x00, 0x01]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...name('xxh64'), 0x00, 0]),
  ...section(10, [1, ...uleb(funcBody.length), ...funcBody]),
]);

const PAGE = 65536;
const memory = new WebAssembly.Memory({ initial: 16 });
const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), { m: { memory } });
const wasmXxh64 = instance.exports.xxh64 as (ptr: number, len: number, seed: bigint) => bigint;

export function xxh64(data: Uint8Array, seed: bigint = 0n): bigint {
  if (data.length > memory.buffer.byteLength) {
    memory.grow(Math.ceil((data.length - memory.buffer.byteLength) / PAGE));
  }
  new Uint8Array(memory.buffer, 0, data.length).set(data);
  return BigInt.asUintN(64, wasmXxh64(0, data.length, BigInt.asIntN(64, seed)));
}

/**
 * The digest's low 32 bits: what a zstd frame's content checksum and a seek table entry hold
 * (stored little-endian, so they are the frame's last 4 bytes read as a u32 LE).
 */
export function xxh64Low32(data: Uint8Array): number {
  return Number(xxh64(data) & 0xffffffffn);
}
