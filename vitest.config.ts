import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Kernel-path tests share the machine's few loop devices; files run in parallel but stay few.
    maxWorkers: 2,
  },
});
