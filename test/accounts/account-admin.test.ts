/**
 * `AccountAdmin` on a real SQLite store: each change reports its event through `onEvent` once it
 * is done (the audit log's hook), a disabled account stays refused after a correct password, and
 * nothing is reported for a user who does not exist.
 *
 * @see issue 13, point 7
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AccountAdminEvent, createAccountAdmin } from '../../src/accounts/account-admin.js'
import { createAccountService } from '../../src/accounts/account-service.js'
import { createPasswordHasher } from '../../src/passwords/password-hasher.js'
import { createSessionEnder } from '../../src/sessions/session-ender.js'
import { createStores } from '../../src/store/create-stores.js'
import type { AuthStores } from '../../src/store/types.js'
import { makeTempDir } from '../helpers/test-servers.js'

describe('account administration', () => {
  const temp = makeTempDir('gatehouse-account-admin-')
  let stores: AuthStores
  beforeAll(async () => {
    stores = await createStores(`sqlite:${path.join(temp.dir, 'auth.db')}`)
  })
  afterAll(async () => {
    await stores.close()
    temp.remove()
  })

  async function setUp() {
    const passwords = await createPasswordHasher('low')
    const events: [AccountAdminEvent, string][] = []
    const admin = createAccountAdmin({
      users: stores.users,
      passwords,
      ender: createSessionEnder({
        sessions: stores.sessions,
        revocations: stores.revocations,
        accessTokenTtl: 900,
        clockTolerance: 5,
      }),
      onEvent: (event, userId) => {
        events.push([event, userId])
      },
    })
    const accounts = createAccountService({ users: stores.users, passwords, defaultScopes: [] })
    return { admin, accounts, events }
  }

  it('reports each change with the user id, and refuses a disabled account its correct password', async () => {
    const { admin, accounts, events } = await setUp()
    const { id } = await accounts.register({ username: 'Jane', password: 'first password' })
    await admin.disable('Jane')
    await expect(
      accounts.authenticate({ username: 'Jane', password: 'first password' }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' })
    await admin.enable('Jane')
    await admin.resetPassword('Jane', 'second password')
    expect(
      (await accounts.authenticate({ username: 'Jane', password: 'second password' })).id,
    ).toBe(id)
    await admin.delete('Jane')
    expect(events).toEqual([
      ['user.disabled', id],
      ['user.enabled', id],
      ['password.changed', id],
      ['user.deleted', id],
    ])
  })

  it('reports nothing for a user who does not exist', async () => {
    const { admin, events } = await setUp()
    await expect(admin.disable('Nobody')).rejects.toMatchObject({
      code: 'ERR_NOT_FOUND',
      message: 'no user named Nobody',
    })
    expect(events).toEqual([])
  })
})
