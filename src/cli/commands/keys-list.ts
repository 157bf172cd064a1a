/** `gatehouse keys list`: the signing keys in the auth store, with their state. @module */
import { nowSeconds } from '../../lib/time.js'
import type { StoredSigningKey } from '../../store/types.js'
import type { Command } from '../command.js'
import { withStores } from '../open-stores.js'

export const keysList: Command = {
  name: 'keys list',
  synopsis: 'keys list',
  summary: 'list signing keys (current, retiring, retired)',
  help: `usage: gatehouse keys list [--json]

Lists every signing key with its state: upcoming (published ahead of its turn), current (signs
new tokens), retiring (still published until the tokens it signed expire) or retired.

  --json   [{ "kid", "alg", "state", "createdAt", "retireAt" }] (times as ISO 8601)
`,
  options: [],
  opensDatabase: true,
  run: ({ config }) =>
    withStores(config, async (stores) => {
      const now = nowSeconds()
      const keys = await stores.keys.list()
      return {
        lines:
          keys.length === 0
            ? ['no signing keys yet (the auth server creates one when it starts)']
            : keys.map((key) => describeKey(key, now)),
        json: keys.map((key) => ({
          kid: key.kid,
          alg: key.alg,
          state: stateOf(key, now),
          createdAt: iso(key.createdAt),
          retireAt: key.retireAt === null ? null : iso(key.retireAt),
        })),
      }
    }),
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

function stateOf(key: StoredSigningKey, now: number): string {
  if (key.retireAt !== null) return key.retireAt > now ? 'retiring' : 'retired'
  return key.activatedAt === null ? 'upcoming' : 'current'
}

function describeKey(key: StoredSigningKey, now: number): string {
  const until = key.retireAt === null ? '' : `  published until ${iso(key.retireAt)}`
  return `${key.kid}  ${key.alg}  ${stateOf(key, now).padEnd(8)}  created ${iso(key.createdAt)}${until}`
}
