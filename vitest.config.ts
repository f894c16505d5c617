import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    // The JSON report feeds the pass/fail summary of .ci/run.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/unit.json' },
  },
});
