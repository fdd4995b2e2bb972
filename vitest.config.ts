import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temporary folder for the run, removed at its end (test/global-tmp.ts).
    globalSetup: ['test/global-tmp.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Kernel-path tests share the machine's few loop devices; files run in parallel but stay few.
    maxWorkers: 2,
  },
});
