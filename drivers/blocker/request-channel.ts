// One request at a time on the link, each try with a fresh sequence tag, so an answer that comes
// after its try was given up on can never be taken for the answer to a later one. A try ends with
// the answer, a timeout, a garbage line, an ERR, or the link going away; timeouts and garbage are
// tried again (every request is idempotent: a set names the state, not a toggle).

import type { ControllerLink } from './port-link.ts';
import { LineSplitter } from './line-splitter.ts';
import { PortControllerError } from './port-controller-types.ts';
import type { PortControllerFailure } from './port-controller-types.ts';
import { answers, encodeRequest, nextSeq, parseHostLine, requestTokens } from './serial-protocol.ts';
import type { HostLine, OkBody, Request } from './serial-protocol.ts';

export interface ChannelHooks {
  answer(body: OkBody): void;
  event(e: Extract<HostLine, { kind: 'event' }>): void;
  garbage(line: string, reason: string): void;
  late(line: string, seq: number): void;
  timeout(req: Request, seq: number): void;
}

export interface ChannelOptions {
  readonly path: string;
  readonly timeoutMs: number;
  readonly retries: number;
}

type Outcome =
  | { readonly body: OkBody }
  | { readonly kind: PortControllerFailure; readonly detail: string }
  | { readonly aborted: unknown };

interface Pending {
  readonly seq: number;
  readonly req: Request;
  done(o: Outcome): void;
}

export class RequestChannel {
  readonly #opts: ChannelOptions;
  readonly #hooks: ChannelHooks;
  readonly #splitter = new LineSplitter();
  #link: ControllerLink | undefined;
  #seq = 0;
  #pending: Pending | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(opts: ChannelOptions, hooks: ChannelHooks) {
    this.#opts = opts;
    this.#hooks = hooks;
  }

  attach(link: ControllerLink): void {
    if (this.#closed) return;
    this.#link = link;
    this.#splitter.reset();
  }

  /** The link is gone: the request in flight fails at once instead of waiting out its timeout. */
  detach(reason: string): void {
    this.#link = undefined;
    this.#splitter.reset();
    this.#pending?.done({ kind: 'lost', detail: reason });
  }

  /** For good: the request in flight and every later one fail as 'closed'. */
  close(): void {
    this.#closed = true;
    this.#link = undefined;
    this.#pending?.done({ kind: 'closed', detail: 'closed' });
  }

  receive(chunk: Buffer): void {
    for (const item of this.#splitter.push(chunk)) {
      if ('overflow' in item) this.#garbage(item.overflow, 'line too long');
      else this.#line(item.line);
    }
  }

  /** Resolves with the board's answer; rejects with a PortControllerError, or the signal's reason. */
  request(req: Request, signal?: AbortSignal): Promise<OkBody> {
    const run = this.#queue.then(() => this.#run(req, signal));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(req: Request, signal: AbortSignal | undefined): Promise<OkBody> {
    const tries = this.#opts.retries + 1;
    let last: { kind: PortControllerFailure; detail: string } = { kind: 'lost', detail: 'not tried' };
    for (let i = 0; i < tries; i++) {
      signal?.throwIfAborted();
      const out = await this.#try(req, signal);
      if ('body' in out) return out.body;
      if ('aborted' in out) throw out.aborted;
      last = out;
      if (out.kind !== 'timeout' && out.kind !== 'garbage') break;
    }
    const what = requestTokens(req).join(' ');
    const count = last.kind === 'timeout' || last.kind === 'garbage' ? ` (${tries} tries)` : '';
    throw new PortControllerError(last.kind, this.#opts.path, `${what}: ${last.detail}${count}`);
  }

  #try(req: Request, signal: AbortSignal | undefined): Promise<Outcome> {
    const link = this.#link;
    if (this.#closed) return Promise.resolve({ kind: 'closed', detail: 'closed' });
    if (!link) return Promise.resolve({ kind: 'lost', detail: 'not connected' });
    const seq = (this.#seq = nextSeq(this.#seq));
    return new Promise<Outcome>((resolve) => {
      const onAbort = (): void => pending.done({ aborted: signal?.reason });
      const pending: Pending = {
        seq,
        req,
        done: (o) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(o);
        },
      };
      this.#pending = pending;
      const ms = this.#opts.timeoutMs;
      const timer = setTimeout(() => {
        this.#hooks.timeout(req, seq);
        pending.done({ kind: 'timeout', detail: `no answer within ${ms} ms` });
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      link.write(encodeRequest(seq, req)).catch((err: Error) => pending.done({ kind: 'lost', detail: `write failed: ${err.message}` }));
    });
  }

  #line(raw: string): void {
    const m = parseHostLine(raw);
    const p = this.#pending;
    if (m.kind === 'garbage') return this.#garbage(raw, m.reason);
    if (m.kind === 'event') return this.#hooks.event(m);
    if (m.kind === 'err' && m.seq === 0) return this.#garbage(raw, 'the board could not read a request line');
    if (!p || m.seq !== p.seq) return this.#hooks.late(raw, m.seq);
    if (m.kind === 'err') return p.done({ kind: 'refused', detail: `the board answered ERR ${m.code}` });
    if (!answers(p.req, m.body)) return this.#garbage(raw, 'the answer does not match the request');
    this.#hooks.answer(m.body);
    p.done({ body: m.body });
  }

  /** Garbage while a request waits is taken as its answer: unreadable, so that try failed. */
  #garbage(line: string, reason: string): void {
    this.#hooks.garbage(line, reason);
    this.#pending?.done({ kind: 'garbage', detail: `unreadable answer (${reason})` });
  }
}
