// The request channel with a scripted far end: every request line the host writes is handed to
// the test, which answers (or not) with whatever bytes it wants.

import { describe, expect, it } from 'vitest';
import { PortControllerError } from '../../../drivers/blocker/port-controller-types.ts';
import { RequestChannel } from '../../../drivers/blocker/request-channel.ts';
import type { ChannelHooks } from '../../../drivers/blocker/request-channel.ts';
import { encodeErr, encodeOk, parseBoardLine } from '../../../drivers/blocker/serial-protocol.ts';
import type { Request } from '../../../drivers/blocker/serial-protocol.ts';

type Far = (seq: number, req: Request, channel: RequestChannel) => void;

function scripted(far: Far, timeoutMs = 100): { channel: RequestChannel; calls: string[] } {
  const calls: string[] = [];
  const hooks: ChannelHooks = {
    answer: (b) => calls.push(`answer ${b.cmd}`),
    event: (e) => calls.push(`event ${e.what} ${e.port}`),
    garbage: (_line, reason) => calls.push(`garbage: ${reason}`),
    late: (_line, seq) => calls.push(`late ${seq}`),
    timeout: (_req, seq) => calls.push(`timeout ${seq}`),
  };
  const channel = new RequestChannel({ path: 'test', timeoutMs, retries: 1 }, hooks);
  channel.attach({
    write: async (text) => {
      const m = parseBoardLine(text.trimEnd());
      if (m.kind !== 'request') throw new Error(`host wrote a bad line: ${text}`);
      calls.push(`request ${m.seq}`);
      setImmediate(() => far(m.seq, m.req, channel));
    },
    close: async () => {},
  });
  return { channel, calls };
}

const reply = (c: RequestChannel, text: string): void => c.receive(Buffer.from(text, 'latin1'));

describe('RequestChannel', () => {
  it('retries at once when the board reports our line garbled, without waiting out the timeout', async () => {
    let n = 0;
    const { channel, calls } = scripted((seq, req, c) => {
      if (n++ === 0) return reply(c, encodeErr(0, 'BADLINE'));
      if (req.cmd === 'WP') reply(c, encodeOk(seq, { cmd: 'WP', port: req.port, value: 'ON' }));
    }, 5_000);
    const t0 = performance.now();
    expect(await channel.request({ cmd: 'WP', port: 1 })).toEqual({ cmd: 'WP', port: 1, value: 'ON' });
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(calls).toEqual(['request 1', 'garbage: the board could not read a request line', 'request 2', 'answer WP']);
  });

  it('takes an answer for another port under the right tag as garbage', async () => {
    const { channel, calls } = scripted((seq, _req, c) => reply(c, encodeOk(seq, { cmd: 'WP', port: 4, value: 'ON' })));
    const err = await channel.request({ cmd: 'WP', port: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortControllerError);
    expect(err).toMatchObject({ kind: 'garbage' });
    expect((err as Error).message).toBe('test: WP 1: unreadable answer (the answer does not match the request) (2 tries)');
    expect(calls.filter((c) => c.startsWith('garbage'))).toHaveLength(2);
  });

  it('does not retry a refusal', async () => {
    const { channel, calls } = scripted((seq, _req, c) => reply(c, encodeErr(seq, 'BADPORT')));
    await expect(channel.request({ cmd: 'WP', port: 7 })).rejects.toMatchObject({ kind: 'refused', message: 'test: WP 7: the board answered ERR BADPORT' });
    expect(calls).toEqual(['request 1']);
  });

  it('aborting stops the wait with the signal\'s reason; the answer that comes later is dropped as late', async () => {
    const held: Array<() => void> = [];
    const { channel, calls } = scripted((seq, req, c) => {
      if (req.cmd === 'WP') held.push(() => reply(c, encodeOk(seq, { cmd: 'WP', port: req.port, value: 'OFF' })));
      else reply(c, encodeOk(seq, { cmd: 'ID', firmware: 'f', version: 'v', ports: 2 }));
    }, 5_000);
    const ac = new AbortController();
    const pending = channel.request({ cmd: 'WP', port: 2 }, ac.signal);
    await new Promise((r) => setTimeout(r, 20));
    ac.abort(new Error('job aborted'));
    await expect(pending).rejects.toThrow('job aborted');
    held[0]();
    expect(await channel.request({ cmd: 'ID' })).toMatchObject({ cmd: 'ID', ports: 2 });
    expect(calls).toEqual(['request 1', 'late 1', 'request 2', 'answer ID']);
  });

  it('fails the request in flight at once when the link goes away, and later ones without trying', async () => {
    const { channel } = scripted(() => {}, 5_000);
    const pending = channel.request({ cmd: 'ID' });
    await new Promise((r) => setTimeout(r, 10));
    channel.detach('unplugged');
    await expect(pending).rejects.toMatchObject({ kind: 'lost', message: 'test: ID: unplugged' });
    await expect(channel.request({ cmd: 'ID' })).rejects.toMatchObject({ kind: 'lost', message: 'test: ID: not connected' });
  });

  it('one request at a time: a second waits for the first to finish', async () => {
    const order: number[] = [];
    const { channel } = scripted((seq, req, c) => {
      order.push(seq);
      if (req.cmd === 'WP') setTimeout(() => reply(c, encodeOk(seq, { cmd: 'WP', port: req.port, value: 'ON' })), 20);
    });
    await Promise.all([channel.request({ cmd: 'WP', port: 1 }), channel.request({ cmd: 'WP', port: 2 })]);
    expect(order).toEqual([1, 2]);
  });
});

describe('RequestChannel.close', () => {
  it('fails the request in flight and every later one as closed', async () => {
    const { channel } = scripted(() => {}, 5_000);
    const pending = channel.request({ cmd: 'ID' });
    await new Promise((r) => setTimeout(r, 10));
    channel.close();
    await expect(pending).rejects.toMatchObject({ kind: 'closed' });
    await expect(channel.request({ cmd: 'WP', port: 1 })).rejects.toMatchObject({ kind: 'closed' });
  });
});
