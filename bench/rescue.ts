// npm run bench:rescue — imagebox rescue on every emulated damage pattern, in-process, scored by
// the drive's own referee in drive-time. --strategy ddrescue --retries 3 reproduces ddrescue -r3.
// Usage: npm run bench:rescue -- [--strategy smart|ddrescue] [--retries N] [--size 128M] [--seeds 1,2,3] [--patterns dead-head,zone]
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openEmulatedSource } from '../drivers/block/emulated.ts';
import { formatDuration } from '../controller/units.ts';
import { DriveModel } from '../hil/drive-model.ts';
import { parseDriveSpec } from '../hil/drive-spec.ts';
import { formatCostModel } from '../hil/drive-time.ts';
import { PATTERNS } from '../hil/patterns.ts';
import { rescueInto } from '../test/helpers/rescue-run.ts';
import type { Strategy } from '../controller/rescue/options.ts';
import { strategyOptions } from '../controller/rescue/options.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '128M' },
    seeds: { type: 'string', default: '1,2,3' },
    patterns: { type: 'string', default: PATTERNS.join(',') },
    retries: { type: 'string' },
    strategy: { type: 'string', default: 'smart' },
  },
});

const rows: string[][] = [];
const header = ['pattern', 'seed', 'size', 'to 90%', 'to 99%', 'to 100%', 'total', 'reads', 'failed', 'bad-sector hits', 'rescued', 'wall'];
let cost = '';
for (const pattern of values.patterns.split(',')) {
  for (const seed of values.seeds.split(',').map(Number)) {
    const model = new DriveModel(parseDriveSpec(pattern, { seed, size: values.size }));
    cost = formatCostModel(model.cost);
    const source = openEmulatedSource(model);
    const t0 = performance.now();
    const strategy = strategyOptions(values.strategy as Strategy);
    const run = await rescueInto(source, model.clock, { ...strategy, ...(values.retries ? { retries: Number(values.retries) } : {}) });
    const wall = performance.now() - t0;
    await rm(run.dir, { recursive: true, force: true });
    const st = model.stats();
    const at = (ms: number | undefined) => (ms === undefined ? 'never' : formatDuration(ms));
    rows.push([
      pattern, String(seed), values.size, at(st.driveMsAt90), at(st.driveMsAt99), at(st.driveMsAt100), formatDuration(st.driveMs),
      String(st.reads), String(st.failedReads), String(st.badSectorTouches),
      `${((st.rescuedBytes * 100) / st.readableBytes).toFixed(3)}%`, `${(wall / 1000).toFixed(1)}s`,
    ]);
  }
}

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log(`drive-time cost model: ${cost}`);
console.log(`imagebox rescue --strategy ${values.strategy}${values.retries ? ` --retries ${values.retries}` : ''}; times are drive-time on the emulated drive's clock`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
