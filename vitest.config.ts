import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // a screen that waits on the server may take seconds on a busy machine: polls wait like locators do
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
