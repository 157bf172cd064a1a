import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Under CI a stray `.only` must fail the run instead of silently skipping the rest.
    allowOnly: !process.env.CI,
    pool: 'forks',
  },
})
