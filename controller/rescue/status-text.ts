// The rescue's status as text: a ddrescue-like block redrawn on a terminal, or one line for logs.
import { formatBytes, formatDuration, formatRate } from '../units.ts';
import type { RescueProgress } from './progress.ts';

export function phaseText(p: Pick<RescueProgress, 'phase' | 'pass'>, reverse = false): string {
  const dir = (forward: boolean) => (forward !== reverse ? 'forwards' : 'backwards');
  switch (p.phase) {
    case '?':
      return `Copying non-tried blocks... Pass ${p.pass} (${dir(p.pass % 2 === 1)})`;
    case '*':
      return 'Trimming failed blocks... (forwards)';
    case '/':
      return 'Scraping failed blocks... (forwards)';
    case '-':
      return `Retrying bad sectors... Retry ${p.pass} (${dir(p.pass % 2 === 1)})`;
    case '+':
      return 'Finished';
    default:
      return p.phase;
  }
}

function pct(p: RescueProgress): string {
  return p.domainSize > 0 ? `${((p.rescued * 100) / p.domainSize).toFixed(2)}%` : '100%';
}

const col = (label: string, value: string, width = 10) => `${label.padStart(12)}: ${value.padStart(width)}`;

export function statusBlock(p: RescueProgress, currentRate: number, reverse = false): string[] {
  return [
    `${col('ipos', formatBytes(p.pos))},${col('non-trimmed', formatBytes(p.nonTrimmed))},${col('current rate', formatRate(currentRate), 11)}`,
    `${col('non-tried', formatBytes(p.nonTried))},${col('non-scraped', formatBytes(p.nonScraped))},${col('average rate', formatRate(p.averageRate), 11)}`,
    `${col('rescued', formatBytes(p.rescued))},${col('bad-sector', formatBytes(p.badSector))},${col('run time', formatDuration(p.runTimeMs), 11)}`,
    `${col('pct rescued', pct(p))},${col('bad areas', String(p.badAreas))},${col('remaining', formatDuration(p.remainingMs), 11)}`,
    `${col('read errors', String(p.readErrors))},${col('timeouts', String(p.timeouts))},${col('since good', formatDuration(p.sinceLastGoodMs), 11)}`,
    phaseText(p, reverse),
  ];
}

export function statusLine(p: RescueProgress, currentRate: number, reverse = false): string {
  return (
    `${phaseText(p, reverse)} rescued ${formatBytes(p.rescued)} (${pct(p)}), ` +
    `non-tried ${formatBytes(p.nonTried)}, non-trimmed ${formatBytes(p.nonTrimmed)}, non-scraped ${formatBytes(p.nonScraped)}, ` +
    `bad ${formatBytes(p.badSector)} in ${p.badAreas} areas, ${p.readErrors} read errors, ${p.timeouts} timeouts, ` +
    `${formatRate(currentRate)} now, ${formatRate(p.averageRate)} avg, run ${formatDuration(p.runTimeMs)}, ` +
    `remaining ${formatDuration(p.remainingMs)}, since good ${formatDuration(p.sinceLastGoodMs)}`
  );
}
