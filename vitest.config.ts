import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** The workspace packages from their sources, so that tests never run a stale `dist/`. */
const source = (file: string) => fileURLToPath(new URL(`./packages/${file}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@gatehouse\/verify\/node$/, replacement: source('verify/src/node.ts') },
      { find: /^@gatehouse\/verify$/, replacement: source('verify/src/index.ts') },
      { find: /^@gatehouse\/express$/, replacement: source('express/src/index.ts') },
      { find: /^@gatehouse\/fastify$/, replacement: source('fastify/src/index.ts') },
      { find: /^@gatehouse\/client$/, replacement: source('client/src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Under CI a stray `.only` must fail the run instead of silently skipping the rest.
    allowOnly: !process.env.CI,
    pool: 'forks',
    // Four files at a time, also on two cores: the suites wait on sockets, child processes and
    // databases far more than they compute (one worker per core left the CPU idle half the time).
    // Every test owns its ports, data folder, database and key prefix, so files never collide.
    maxWorkers: 4,
  },
})
