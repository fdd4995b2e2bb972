// Compression threads: each zstd frame or deflate call leaves a native compressor context
// (hundreds of kilobytes to megabytes outside the heap) that only a collection of its small JS
// handle frees, and a small heap is rarely collected, so the process's memory climbs for the
// whole acquisition. Collecting every few jobs bounds it; after every job it halves the speed.
import v8 from 'node:v8';
import vm from 'node:vm';

/** A function to call after each job: every `every` calls it runs a full collection of this thread. */
export function nativeCollector(every: number): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  let calls = 0;
  return () => {
    if (++calls % every === 0) gc();
  };
}
