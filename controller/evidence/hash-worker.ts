// A hash worker: hashes, in order, the shared-buffer slots its MultiHasher hands it, on a thread of
// its own so that MD5 (which cannot be split) and SHA-1/SHA-256 use different cores.

import { parentPort, workerData } from 'node:worker_threads';
import { HashGroup } from './hash-group.ts';
import type { FromWorker, HashWorkerData, ToWorker } from './hash-protocol.ts';

const data = workerData as HashWorkerData;
const port = parentPort;
if (port === null) throw new Error('hash-worker.ts runs only as a worker thread');

function send(m: FromWorker): void {
  port!.postMessage(m);
}

try {
  // Messages that arrive while the wasm engines compile wait in this queue, so order is kept.
  const queue: ToWorker[] = [];
  let group: HashGroup | undefined;
  const handle = (m: ToWorker): void => {
    if (m.type === 'data') {
      group!.update(new Uint8Array(data.shared, m.slot * data.slotSize, m.length));
      send({ type: 'done', slot: m.slot });
    } else if (m.type === 'lent') {
      group!.update(new Uint8Array(m.shared, m.offset, m.length));
      send({ type: 'lentDone', id: m.id });
    } else if (m.type === 'save') {
      send({ type: 'saved', id: m.id, states: group!.save() });
    } else {
      send({ type: 'finished', results: group!.finish() });
      port.close();
    }
  };
  port.on('message', (m: ToWorker) => {
    if (!group) return void queue.push(m);
    try {
      handle(m);
    } catch (e) {
      send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  });
  group = await HashGroup.create(data.algos, data.kind, data.window, data.resume);
  for (const m of queue.splice(0)) handle(m);
} catch (e) {
  send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
}
