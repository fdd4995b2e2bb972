// The hashes computed on one thread: one engine per algorithm, each with its piecewise hasher when
// windows are on. A MultiHasher runs one group per worker, and optionally one on its own thread.

import type { Algo } from './algorithms.ts';
import { createEngine, type EngineKind, type HashEngine } from './hash-engine.ts';
import { decodeState, encodeState, type HashState } from './hash-state.ts';
import { PiecewiseHasher, type WindowHash } from './piecewise.ts';

export interface GroupResult {
  algo: Algo;
  hex: string;
  bytes: number;
  pieces?: WindowHash[];
}

interface Member {
  engine: HashEngine;
  windowEngine?: HashEngine;
  piecewise?: PiecewiseHasher;
}

export class HashGroup {
  readonly #members: Member[];
  #bytes: number;

  private constructor(members: Member[], bytes: number) {
    this.#members = members;
    this.#bytes = bytes;
  }

  static async create(algos: readonly Algo[], kind: EngineKind, window?: number, resume?: readonly HashState[]): Promise<HashGroup> {
    const members: Member[] = [];
    let bytes = 0;
    for (const algo of algos) {
      const saved = resume?.find((s) => s.algo === algo);
      if (resume && !saved) throw new Error(`no saved state for ${algo}`);
      const engine = await createEngine(algo, kind);
      if (saved) {
        engine.load(decodeState(saved.state));
        bytes = saved.bytes;
      }
      const m: Member = { engine };
      if (window !== undefined) {
        m.windowEngine = await createEngine(algo, kind);
        if (saved && !saved.window) throw new Error(`saved ${algo} state has no piecewise hash`);
        if (saved?.window) m.windowEngine.load(decodeState(saved.window.state));
        const pw = saved?.window;
        m.piecewise = new PiecewiseHasher(window, m.windowEngine, pw && { window: pw.size, partial: pw.partial, pieces: pw.pieces });
      }
      members.push(m);
    }
    return new HashGroup(members, bytes);
  }

  update(data: Uint8Array): void {
    for (const m of this.#members) {
      m.engine.update(data);
      m.piecewise?.update(data);
    }
    this.#bytes += data.length;
  }

  save(): HashState[] {
    return this.#members.map((m) => {
      const s: HashState = { algo: m.engine.algo, bytes: this.#bytes, state: encodeState(m.engine.save()) };
      if (m.piecewise && m.windowEngine) {
        const pw = m.piecewise.state();
        s.window = { size: pw.window, partial: pw.partial, state: encodeState(m.windowEngine.save()), pieces: pw.pieces };
      }
      return s;
    });
  }

  finish(): GroupResult[] {
    return this.#members.map((m) => ({
      algo: m.engine.algo,
      hex: m.engine.digest(),
      bytes: this.#bytes,
      ...(m.piecewise ? { pieces: m.piecewise.finish() } : {}),
    }));
  }
}
