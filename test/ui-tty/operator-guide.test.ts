// The operator guide shows the panel as it draws now: every capture block matches a fresh render.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { capture, CAPTURES, GUIDE } from './capture.ts';
import { frameSize } from './render.ts';

describe('docs/operator-guide.md', async () => {
  const guide = await readFile(GUIDE, 'utf8');
  for (const [name, keys] of Object.entries(CAPTURES)) {
    it(`holds the current capture '${name}', which fits an 80x25 console`, async () => {
      const shot = await capture(keys);
      expect(frameSize(shot).columns).toBeLessThanOrEqual(80);
      expect(frameSize(shot).rows).toBeLessThanOrEqual(25);
      const block = `<!-- capture ${name} -->\n\`\`\`text\n${shot}\n\`\`\``;
      expect(guide.includes(block), `run: node test/ui-tty/capture.ts --write`).toBe(true);
    });
  }
});
