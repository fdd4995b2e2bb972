// A real lab server on loopback (node:http), told how to answer each request in turn. It keeps
// what it received and, like a careful real server, stores each record once per Idempotency-Key.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * 'ok': store (once per key) and answer 201, or 200 for a key already stored.
 * 'hang': accept the request and never answer. 'store-then-hang': store it, then never answer
 * (an acknowledgement lost on the way back). A number: answer that status with `body`.
 */
export type Answer = 'ok' | 'hang' | 'store-then-hang' | { readonly status: number; readonly body?: string; readonly headers?: Record<string, string> };

export interface Received {
  readonly method: string;
  readonly key?: string;
  readonly authorization?: string;
  readonly contentType?: string;
  readonly body: string;
  readonly at: number;
}

export class TestLabServer {
  readonly received: Received[] = [];
  /** Records stored, by Idempotency-Key. */
  readonly store = new Map<string, string>();
  /** How the next requests are answered, in order; 'ok' once it runs out. */
  script: Answer[] = [];
  private readonly server: Server;

  private constructor(server: Server) {
    this.server = server;
  }

  static async start(script: Answer[] = [], port = 0): Promise<TestLabServer> {
    let self: TestLabServer | undefined;
    const server = createServer((req, res) => void self!.handle(req, res));
    self = new TestLabServer(server);
    self.script = script;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return self;
  }

  /** A port where nothing listens (connection refused), and that a server can take later. */
  static async freePort(): Promise<number> {
    const s = await TestLabServer.start();
    const port = s.port;
    await s.close();
    return port;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/records`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = this.script.shift() ?? 'ok';
    if (answer === 'hang') {
      this.received.push({ method: req.method ?? '', key: header(req, 'idempotency-key'), body: '', at: Date.now() });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const key = header(req, 'idempotency-key');
    this.received.push({ method: req.method ?? '', key, authorization: header(req, 'authorization'), contentType: header(req, 'content-type'), body, at: Date.now() });
    if (typeof answer === 'object') {
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      return;
    }
    if (!key) {
      res.writeHead(400).end('missing Idempotency-Key\n');
      return;
    }
    const known = this.store.has(key);
    if (!known) this.store.set(key, body);
    if (answer === 'store-then-hang') return;
    res.writeHead(known ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: key, duplicate: known }));
  }

  async waitForRequests(n: number, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (Date.now() > until) throw new Error(`lab server got ${this.received.length} requests, waited for ${n}`);
      await sleep(20);
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
