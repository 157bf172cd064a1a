/**
 * `gatehouse keys list` and `gatehouse keys rotate`: the signing keys in the auth store.
 *
 * @module
 */
import { cliAuditLog } from '../../audit/cli-audit.js'
import type { Config } from '../../config/load-config.js'
import { nowSeconds } from '../../lib/time.js'
import { createStores } from '../../store/create-stores.js'
import type { StoredSigningKey } from '../../store/types.js'
import { createKeyring } from '../../tokens/keys/create-keyring.js'

/** What a command prints, line by line. */
export type Print = (line: string) => void

/**
 * Lists every key with its state: `upcoming` (published ahead of its turn), `current`, `retiring`
 * (still published) or `retired`.
 */
export async function listKeys(config: Config, print: Print): Promise<void> {
  const stores = await createStores(config.databaseUrl)
  try {
    const keys = await stores.keys.list()
    if (keys.length === 0) print('no signing keys yet (the auth server creates one when it starts)')
    for (const key of keys) print(describeKey(key, nowSeconds()))
  } finally {
    await stores.close()
  }
}

/**
 * Makes a new current key. Running servers sign with it at once; the previous key stays in the
 * JWKS until every token it signed has expired.
 */
export async function rotateKeys(config: Config, print: Print): Promise<void> {
  if (config.accessTokenSecret !== undefined) {
    throw new Error(
      'tutorial mode (ACCESS_TOKEN_SECRET is set) has no key to rotate: change the secret instead',
    )
  }
  const stores = await createStores(config.databaseUrl)
  try {
    const next = await createKeyring(config, stores.keys).rotate()
    await cliAuditLog(config, stores).record({
      event: 'key.rotated',
      actor: 'cli',
      detail: { kid: next.kid, alg: next.alg },
    })
    print(`rotated: new signing key ${next.kid} (${next.alg}); the previous key stays published`)
    print(
      `for ${config.accessTokenTtl + config.clockTolerance} seconds, until the tokens it signed expire`,
    )
  } finally {
    await stores.close()
  }
}

function describeKey(key: StoredSigningKey, now: number): string {
  const state =
    key.retireAt !== null
      ? key.retireAt > now
        ? 'retiring'
        : 'retired'
      : key.activatedAt === null
        ? 'upcoming'
        : 'current'
  const created = new Date(key.createdAt * 1000).toISOString()
  const until =
    key.retireAt === null ? '' : `  published until ${new Date(key.retireAt * 1000).toISOString()}`
  return `${key.kid}  ${key.alg}  ${state.padEnd(8)}  created ${created}${until}`
}
