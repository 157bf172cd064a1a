/** Single-use secrets as the account flows use them, on a real SQLite file. @see issue 15, point 7 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOneTimeSecrets } from '../../src/accounts/one-time-secrets.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores, OneTimeSecret, OneTimeSecretStore } from '../../src/store/types.js'

const KEY = 'k'.repeat(48)

describe('one-time secrets', () => {
  let folder: string
  let stores: AuthStores
  let added: OneTimeSecret[]
  let store: OneTimeSecretStore

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'))
    stores = await createStores(`sqlite:${join(folder, 'auth.db')}`)
    added = []
    // The real store, with every row it is given kept aside to look at.
    store = {
      ...stores.oneTimeSecrets,
      add: async (row) => {
        added.push(row)
        await stores.oneTimeSecrets.add(row)
      },
    }
  })
  afterEach(async () => {
    await stores.close()
    rmSync(folder, { recursive: true, force: true })
  })

  it('hands out 256 random bits and stores only a keyed hash of them', async () => {
    const secrets = createOneTimeSecrets(store, KEY)
    const { secret } = await secrets.issue('password-reset', { userId: 'u1', ttl: 60 })
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32)
    const row = added[0]
    if (row === undefined) throw new Error('nothing was stored')
    expect(row.hash).not.toContain(secret)
    expect(JSON.stringify(row)).not.toContain(secret)
    // Under another key the same secret is unknown: the hash is keyed.
    expect(await createOneTimeSecrets(store, 'o'.repeat(48)).redeem('password-reset', secret)).toBe(
      undefined,
    )
    expect(await secrets.redeem('password-reset', secret)).toEqual({
      userId: 'u1',
      detail: undefined,
      createdAt: row.createdAt,
    })
  })

  it('gives a secret back once, only to its own flow, with its detail', async () => {
    const secrets = createOneTimeSecrets(store, KEY)
    const { secret } = await secrets.issue('email-verification', {
      userId: 'u2',
      detail: { email: 'jane@example.com' },
      ttl: 60,
    })
    expect(await secrets.redeem('password-reset', secret)).toBeUndefined()
    expect((await secrets.redeem('email-verification', secret))?.detail).toEqual({
      email: 'jane@example.com',
    })
    expect(await secrets.redeem('email-verification', secret)).toBeUndefined()
  })

  it('refuses malformed secrets without asking the store', async () => {
    const secrets = createOneTimeSecrets(
      {
        ...store,
        redeem: () => {
          throw new Error('the store was asked')
        },
      },
      KEY,
    )
    for (const bad of ['', 'short', 'x'.repeat(44), `${'a'.repeat(42)}=`, "' or 1=1 --"]) {
      expect(await secrets.redeem('password-reset', bad)).toBeUndefined()
    }
  })

  it('voids the outstanding secrets of one user and flow', async () => {
    const secrets = createOneTimeSecrets(store, KEY)
    const first = await secrets.issue('password-reset', { userId: 'u3', ttl: 60 })
    const second = await secrets.issue('password-reset', { userId: 'u3', ttl: 60 })
    expect(await secrets.outstanding('u3', 'password-reset')).toBe(2)
    expect(await secrets.voidAll('u3', 'password-reset')).toBe(2)
    expect(await secrets.redeem('password-reset', first.secret)).toBeUndefined()
    expect(await secrets.redeem('password-reset', second.secret)).toBeUndefined()
  })
})
