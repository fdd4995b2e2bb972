// The rescue's picture of the source: contiguous areas covering [0, size), each with a status.
// A drive that fails in a scattered way yields millions of areas, so the map is a treap keyed by
// area start, kept in typed arrays (about 30 bytes an area) rather than one object per area.
// Adjacent areas never share a status, so two equal maps always have the same list of areas.
// Each node also holds the set of statuses found in its subtree, which lets nextWith/prevWith
// jump over long runs of other statuses in O(log n) instead of walking them.

import { STATUSES, type Area, type Status } from './block.ts';
import { checkStatus, maskOf } from './status-code.ts';

const NIL = 0;

function hex(n: number): string {
  return '0x' + n.toString(16).toUpperCase().padStart(8, '0');
}

export class SectorMap {
  readonly size: number;

  // Node storage; index 0 is the empty tree.
  #pos: Float64Array;
  #len: Float64Array;
  #status: Uint8Array;
  #mask: Uint8Array;
  #left: Int32Array;
  #right: Int32Array;
  #prio: Int32Array;
  #capacity: number;
  #used = 1; // next never-used index
  #free = NIL; // head of the free list, chained through #left
  #root = NIL;

  #bytes = [0, 0, 0, 0, 0];
  #counts = [0, 0, 0, 0, 0];
  #areaCount = 0;
  #version = 0;
  // Fixed seed: the same calls always build the same tree, so runs are reproducible.
  #seed = 0x9e3779b9;

  // Results of #split, kept in fields to avoid allocating a pair per call.
  #sl = NIL;
  #sr = NIL;

  constructor(size: number, initial: Status = '?') {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid map size ${size}`);
    const code = checkStatus(initial);
    this.size = size;
    this.#capacity = 16;
    this.#pos = new Float64Array(this.#capacity);
    this.#len = new Float64Array(this.#capacity);
    this.#status = new Uint8Array(this.#capacity);
    this.#mask = new Uint8Array(this.#capacity);
    this.#left = new Int32Array(this.#capacity);
    this.#right = new Int32Array(this.#capacity);
    this.#prio = new Int32Array(this.#capacity);
    if (size > 0) this.#root = this.#alloc(0, size, code);
  }

  /** A map from a list of areas that runs contiguously from 0 to size; adjacent equal statuses merge. */
  static fromAreas(size: number, areas: Iterable<Area>): SectorMap {
    const m = new SectorMap(0);
    (m as { size: number }).size = size;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`invalid map size ${size}`);
    let expected = 0;
    let last = NIL;
    for (const a of areas) {
      const code = checkStatus(a.status);
      if (!Number.isSafeInteger(a.pos) || !Number.isSafeInteger(a.size) || a.size <= 0) {
        throw new RangeError(`invalid area at ${hex(a.pos)} size ${a.size}`);
      }
      if (a.pos !== expected) {
        throw new RangeError(`areas overlap or leave a gap at ${hex(a.pos)} (expected ${hex(expected)})`);
      }
      if (a.pos + a.size > size) throw new RangeError(`area at ${hex(a.pos)} runs past the end ${hex(size)}`);
      expected = a.pos + a.size;
      if (last !== NIL && m.#status[last] === code) {
        m.#len[last] += a.size;
        m.#bytes[code] += a.size;
      } else {
        last = m.#alloc(a.pos, a.size, code);
      }
    }
    if (expected !== size) throw new RangeError(`areas end at ${hex(expected)} but the map size is ${hex(size)}`);
    m.#root = m.#buildFromSequence();
    return m;
  }

  get areaCount(): number {
    return this.#areaCount;
  }

  bytes(status: Status): number {
    return this.#bytes[checkStatus(status)];
  }

  count(status?: Status): number {
    return status === undefined ? this.#areaCount : this.#counts[checkStatus(status)];
  }

  /** The area containing pos. */
  areaAt(pos: number): Area {
    this.#checkPos(pos);
    const t = this.#containing(pos);
    return this.#area(t);
  }

  /** Give [pos, pos+size) the status, splitting and merging areas as needed. */
  set(pos: number, size: number, status: Status): void {
    const code = checkStatus(status);
    if (!Number.isSafeInteger(pos) || !Number.isSafeInteger(size) || pos < 0 || size < 0 || pos + size > this.size) {
      throw new RangeError(`range ${pos}+${size} is outside the map [0, ${this.size})`);
    }
    if (size === 0) return;
    const stop = pos + size;
    const c = this.#containing(pos);
    // Marking an area with the status it already has is the common case in a rescue's retries.
    if (this.#status[c] === code && this.#pos[c] + this.#len[c] >= stop) return;
    this.#version++;

    this.#split(this.#root, pos);
    const l = this.#sl;
    this.#split(this.#sr, stop);
    const mid = this.#sl;
    let r = this.#sr;

    // Cut the parts of the areas on either edge that lie inside the range.
    let tailLen = 0;
    let tailCode = 0;
    const a = this.#max(l);
    if (a !== NIL) {
      const aEnd = this.#pos[a] + this.#len[a];
      if (aEnd > pos) {
        if (aEnd > stop) {
          tailLen = aEnd - stop;
          tailCode = this.#status[a];
        }
        this.#resize(a, pos - this.#pos[a]);
      }
    }
    if (mid !== NIL) {
      const b = this.#max(mid);
      const bEnd = this.#pos[b] + this.#len[b];
      if (bEnd > stop) {
        tailLen = bEnd - stop;
        tailCode = this.#status[b];
      }
      this.#freeTree(mid);
    }
    if (tailLen > 0) r = this.#merge(this.#alloc(stop, tailLen, tailCode), r);

    // Join with equal neighbours so no two adjacent areas share a status.
    const joinLeft = a !== NIL && this.#status[a] === code;
    const rmin = this.#min(r);
    const joinRight = rmin !== NIL && this.#status[rmin] === code;
    if (joinLeft && joinRight) {
      this.#resize(a, this.#len[a] + size + this.#len[rmin]);
      r = this.#removeMin(r);
      this.#release(rmin);
      this.#root = this.#merge(l, r);
    } else if (joinLeft) {
      this.#resize(a, this.#len[a] + size);
      this.#root = this.#merge(l, r);
    } else if (joinRight) {
      // Still the smallest key of r and above every key of l, so the tree order holds.
      this.#pos[rmin] = pos;
      this.#resize(rmin, this.#len[rmin] + size);
      this.#root = this.#merge(l, r);
    } else {
      this.#root = this.#merge(l, this.#merge(this.#alloc(pos, size, code), r));
    }
  }

  /** First area with a status in `statuses` that ends after pos, clipped so it starts at >= pos. */
  nextWith(pos: number, statuses: readonly Status[] | string): Area | undefined {
    const m = maskOf(statuses);
    if (pos < 0) pos = 0;
    if (pos >= this.size) return undefined;
    const t = this.#firstFrom(this.#root, pos, m);
    if (t === NIL) return undefined;
    const start = Math.max(this.#pos[t], pos);
    return { pos: start, size: this.#pos[t] + this.#len[t] - start, status: STATUSES[this.#status[t]] };
  }

  /** Last area with a status in `statuses` that starts before pos, clipped so it ends at <= pos. */
  prevWith(pos: number, statuses: readonly Status[] | string): Area | undefined {
    const m = maskOf(statuses);
    if (pos > this.size) pos = this.size;
    if (pos <= 0) return undefined;
    const t = this.#lastBefore(this.#root, pos, m);
    if (t === NIL) return undefined;
    const stop = Math.min(this.#pos[t] + this.#len[t], pos);
    return { pos: this.#pos[t], size: stop - this.#pos[t], status: STATUSES[this.#status[t]] };
  }

  /** Areas in ascending order, from the one containing `from`. The map must not change meanwhile. */
  *areas(from = 0): IterableIterator<Area> {
    const version = this.#version;
    const stack: number[] = [];
    this.#pushFrom(stack, from);
    while (stack.length > 0) {
      const t = stack.pop()!;
      yield this.#area(t);
      if (this.#version !== version) throw new Error('sector map changed while iterating its areas');
      this.#pushLeftSpine(stack, this.#right[t]);
    }
  }

  /** Calls fn for each area in order, without allocating one object per area (for saving big maps). */
  forEachArea(fn: (pos: number, size: number, status: Status) => void, from = 0): void {
    const version = this.#version;
    const stack: number[] = [];
    this.#pushFrom(stack, from);
    while (stack.length > 0) {
      const t = stack.pop()!;
      fn(this.#pos[t], this.#len[t], STATUSES[this.#status[t]]);
      if (this.#version !== version) throw new Error('sector map changed while iterating its areas');
      this.#pushLeftSpine(stack, this.#right[t]);
    }
  }

  clone(): SectorMap {
    const m = new SectorMap(0);
    (m as { size: number }).size = this.size;
    m.#capacity = this.#capacity;
    m.#pos = this.#pos.slice();
    m.#len = this.#len.slice();
    m.#status = this.#status.slice();
    m.#mask = this.#mask.slice();
    m.#left = this.#left.slice();
    m.#right = this.#right.slice();
    m.#prio = this.#prio.slice();
    m.#used = this.#used;
    m.#free = this.#free;
    m.#root = this.#root;
    m.#bytes = this.#bytes.slice();
    m.#counts = this.#counts.slice();
    m.#areaCount = this.#areaCount;
    m.#seed = this.#seed;
    return m;
  }

  equals(other: SectorMap): boolean {
    if (other.size !== this.size || other.#areaCount !== this.#areaCount) return false;
    for (let i = 0; i < 5; i++) {
      if (this.#bytes[i] !== other.#bytes[i] || this.#counts[i] !== other.#counts[i]) return false;
    }
    // Merged maps are canonical, so equal maps list the same areas even when their trees differ.
    const a = this.areas();
    const b = other.areas();
    for (;;) {
      const x = a.next();
      const y = b.next();
      if (x.done || y.done) return x.done === y.done;
      if (x.value.pos !== y.value.pos || x.value.size !== y.value.size || x.value.status !== y.value.status) {
        return false;
      }
    }
  }

  // --- internals ---

  #checkPos(pos: number): void {
    if (!(pos >= 0 && pos < this.size)) throw new RangeError(`position ${pos} is outside the map [0, ${this.size})`);
  }

  #area(t: number): Area {
    return { pos: this.#pos[t], size: this.#len[t], status: STATUSES[this.#status[t]] };
  }

  #random(): number {
    // xorshift32: cheap, and good enough to keep a treap balanced.
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x >>> 0;
    return x | 0;
  }

  #alloc(pos: number, len: number, code: number): number {
    let t = this.#free;
    if (t !== NIL) {
      this.#free = this.#left[t];
    } else {
      if (this.#used === this.#capacity) this.#grow();
      t = this.#used++;
    }
    this.#pos[t] = pos;
    this.#len[t] = len;
    this.#status[t] = code;
    this.#mask[t] = 1 << code;
    this.#left[t] = NIL;
    this.#right[t] = NIL;
    this.#prio[t] = this.#random();
    this.#bytes[code] += len;
    this.#counts[code]++;
    this.#areaCount++;
    return t;
  }

  #release(t: number): void {
    const code = this.#status[t];
    this.#bytes[code] -= this.#len[t];
    this.#counts[code]--;
    this.#areaCount--;
    this.#left[t] = this.#free;
    this.#free = t;
  }

  #resize(t: number, len: number): void {
    this.#bytes[this.#status[t]] += len - this.#len[t];
    this.#len[t] = len;
  }

  #grow(): void {
    const cap = this.#capacity * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.#pos = grow(this.#pos, (n) => new Float64Array(n));
    this.#len = grow(this.#len, (n) => new Float64Array(n));
    this.#status = grow(this.#status, (n) => new Uint8Array(n));
    this.#mask = grow(this.#mask, (n) => new Uint8Array(n));
    this.#left = grow(this.#left, (n) => new Int32Array(n));
    this.#right = grow(this.#right, (n) => new Int32Array(n));
    this.#prio = grow(this.#prio, (n) => new Int32Array(n));
    this.#capacity = cap;
  }

  #update(t: number): void {
    this.#mask[t] = (1 << this.#status[t]) | this.#mask[this.#left[t]] | this.#mask[this.#right[t]];
  }

  /** Splits tree t into #sl (starts < key) and #sr (starts >= key). */
  #split(t: number, key: number): void {
    if (t === NIL) {
      this.#sl = NIL;
      this.#sr = NIL;
    } else if (this.#pos[t] < key) {
      this.#split(this.#right[t], key);
      this.#right[t] = this.#sl;
      this.#update(t);
      this.#sl = t;
    } else {
      this.#split(this.#left[t], key);
      this.#left[t] = this.#sr;
      this.#update(t);
      this.#sr = t;
    }
  }

  /** Joins two trees where every key of a is below every key of b. */
  #merge(a: number, b: number): number {
    if (a === NIL) return b;
    if (b === NIL) return a;
    if (this.#prio[a] > this.#prio[b]) {
      this.#right[a] = this.#merge(this.#right[a], b);
      this.#update(a);
      return a;
    }
    this.#left[b] = this.#merge(a, this.#left[b]);
    this.#update(b);
    return b;
  }

  #removeMin(t: number): number {
    if (this.#left[t] === NIL) return this.#right[t];
    this.#left[t] = this.#removeMin(this.#left[t]);
    this.#update(t);
    return t;
  }

  #min(t: number): number {
    if (t === NIL) return NIL;
    while (this.#left[t] !== NIL) t = this.#left[t];
    return t;
  }

  #max(t: number): number {
    if (t === NIL) return NIL;
    while (this.#right[t] !== NIL) t = this.#right[t];
    return t;
  }

  #freeTree(t: number): void {
    const stack = [t];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (this.#left[n] !== NIL) stack.push(this.#left[n]);
      if (this.#right[n] !== NIL) stack.push(this.#right[n]);
      this.#release(n);
    }
  }

  /** The node whose area contains pos (pos inside the map). */
  #containing(pos: number): number {
    let t = this.#root;
    let best = NIL;
    while (t !== NIL) {
      if (this.#pos[t] <= pos) {
        best = t;
        t = this.#right[t];
      } else {
        t = this.#left[t];
      }
    }
    return best;
  }

  #firstFrom(t: number, pos: number, m: number): number {
    while (t !== NIL && (this.#mask[t] & m) !== 0) {
      if (this.#pos[t] + this.#len[t] <= pos) {
        t = this.#right[t];
        continue;
      }
      const found = this.#firstFrom(this.#left[t], pos, m);
      if (found !== NIL) return found;
      if (((1 << this.#status[t]) & m) !== 0) return t;
      t = this.#right[t];
    }
    return NIL;
  }

  #lastBefore(t: number, pos: number, m: number): number {
    while (t !== NIL && (this.#mask[t] & m) !== 0) {
      if (this.#pos[t] >= pos) {
        t = this.#left[t];
        continue;
      }
      const found = this.#lastBefore(this.#right[t], pos, m);
      if (found !== NIL) return found;
      if (((1 << this.#status[t]) & m) !== 0) return t;
      t = this.#left[t];
    }
    return NIL;
  }

  /** Stacks the nodes an in-order walk from the area containing `from` still has to visit. */
  #pushFrom(stack: number[], from: number): void {
    let t = this.#root;
    while (t !== NIL) {
      if (this.#pos[t] + this.#len[t] <= from) {
        t = this.#right[t];
      } else {
        stack.push(t);
        t = this.#left[t];
      }
    }
  }

  #pushLeftSpine(stack: number[], t: number): void {
    while (t !== NIL) {
      stack.push(t);
      t = this.#left[t];
    }
  }

  /** Builds a treap from nodes 1..#used-1, already in key order, in O(n) (Cartesian tree). */
  #buildFromSequence(): number {
    const spine: number[] = [];
    for (let t = 1; t < this.#used; t++) {
      let last = NIL;
      while (spine.length > 0 && this.#prio[spine[spine.length - 1]] < this.#prio[t]) {
        last = spine.pop()!;
        this.#update(last);
      }
      this.#left[t] = last;
      if (spine.length > 0) this.#right[spine[spine.length - 1]] = t;
      spine.push(t);
    }
    while (spine.length > 1) this.#update(spine.pop()!);
    if (spine.length === 0) return NIL;
    this.#update(spine[0]);
    return spine[0];
  }
}
