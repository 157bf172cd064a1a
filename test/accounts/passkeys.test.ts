/**
 * Passkeys over HTTP against the real auth server, with a software authenticator
 * (`passkeys-authenticator.ts`) for what a browser would never send: the options' shape, a
 * registration and sign-in, and each refusal of a sign-in — garbage, a replayed challenge,
 * another origin, another RP ID, no user verification, a counter gone backwards, a disabled
 * account — answered with the one `ERR_PASSKEY_INVALID` while the audit log keeps the reason;
 * removing another user's passkey is 404 (the options' rate limit: `passkeys-rate-limit.test.ts`).
 *
 * @see issue 15, point 5
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStores } from '../../src/store/create-stores.js'
import { moved, scrape } from '../helpers/metrics-kit.js'
import {
  bearer,
  login,
  request,
  sendJson,
  startTestServers,
  type TestServers,
} from '../helpers/test-servers.js'
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from './passkeys-authenticator.js'

const ORIGIN = 'http://localhost:8123'
const PASSWORD = 'correct horse battery staple'
const METRICS_TOKEN = 'metrics-token-of-the-passkey-tests-0123456789'
const INVALID = {
  code: 'ERR_PASSKEY_INVALID',
  message: 'This passkey sign-in could not be verified; try again',
}

describe('passkeys', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers({
      CORS_ORIGINS: ORIGIN,
      RATE_LIMIT_PASSKEY_OPTIONS_IP: '1000/1m',
      // Each test signs up accounts of its own.
      RATE_LIMIT_REGISTER_IP: 'off',
      METRICS_TOKEN: METRICS_TOKEN,
    })
  })
  afterAll(() => servers?.close())

  /** A new account, signed in: its id and access token. */
  async function newUser() {
    const username = `pk-${randomUUID().slice(0, 8)}`
    const created = await sendJson(`${servers.authUrl}/register`, { username, password: PASSWORD })
    expect(created.status).toBe(201)
    const { accessToken } = await login(servers.authUrl, username, PASSWORD)
    return { id: created.body.id as string, username, accessToken }
  }

  /** Registers a passkey of `user` made by `key` on `ORIGIN`; returns the answer. */
  async function registerPasskey(user: { accessToken: string }, key: SoftwareAuthenticator) {
    const options = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer(user.accessToken),
    })
    expect(options.status).toBe(200)
    const response = key.register(options.body, { origin: ORIGIN })
    return sendJson(`${servers.authUrl}/passkeys/registration`, { response, name: 'Key' }, 'POST', {
      ...bearer(user.accessToken),
    })
  }

  async function loginOptions() {
    const res = await request(`${servers.authUrl}/login/passkey/options`, { method: 'POST' })
    expect(res.status).toBe(200)
    return res.body
  }

  function signIn(response: unknown) {
    return sendJson(`${servers.authUrl}/login/passkey`, { response })
  }

  async function failures(user: { accessToken: string }) {
    const res = await request(`${servers.authUrl}/account/activity`, {
      headers: bearer(user.accessToken),
    })
    return (res.body.events as { event: string; detail: Record<string, unknown> }[])
      .filter((entry) => entry.event === 'passkey.failed')
      .map((entry) => entry.detail)
  }

  it('offers discoverable, user-verified creation options bound to the RP, excluding the user’s passkeys', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    expect((await registerPasskey(user, key)).status).toBe(201)
    const res = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer(user.accessToken),
    })
    expect(res.body).toMatchObject({
      rp: { id: 'localhost', name: 'Gatehouse' },
      user: { name: user.username, id: Buffer.from(user.id).toString('base64url') },
      attestation: 'none',
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
      },
      excludeCredentials: [{ id: key.credentialId, type: 'public-key' }],
    })
    expect(res.body.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const anonymous = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
    })
    expect(anonymous.status).toBe(401)
  })

  it('offers sign-in options with no allowed credentials, and a new challenge each time', async () => {
    const [first, second] = [await loginOptions(), await loginOptions()]
    expect(first).toMatchObject({ rpId: 'localhost', userVerification: 'required' })
    expect(first.allowCredentials ?? []).toEqual([])
    expect(first.challenge).not.toBe(second.challenge)
  })

  it('registers a passkey, lists it without its key, and signs in with it as its user', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    const added = await registerPasskey(user, key)
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ id: key.credentialId, name: 'Key', lastUsedAt: null })
    const listed = await request(`${servers.authUrl}/passkeys`, {
      headers: bearer(user.accessToken),
    })
    expect(listed.body).toEqual([added.body])

    const res = await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 }))
    expect(res.status).toBe(200)
    const claims = JSON.parse(
      Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString(),
    )
    expect(claims.sub).toBe(user.id)
    const after = await request(`${servers.authUrl}/passkeys`, {
      headers: bearer(user.accessToken),
    })
    expect(after.body[0].lastUsedAt).not.toBeNull()
  })

  it('refuses a registration answering no challenge of this user, or from another origin', async () => {
    const [user, other] = [await newUser(), await newUser()]
    const options = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer(other.accessToken),
    })
    const stolen = createSoftwareAuthenticator().register(options.body, { origin: ORIGIN })
    const res = await sendJson(
      `${servers.authUrl}/passkeys/registration`,
      { response: stolen },
      'POST',
      bearer(user.accessToken),
    )
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('ERR_PASSKEY_REGISTRATION_INVALID')
    const mine = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer(user.accessToken),
    })
    const elsewhere = createSoftwareAuthenticator().register(mine.body, {
      origin: 'http://localhost:9999',
    })
    const refused = await sendJson(
      `${servers.authUrl}/passkeys/registration`,
      { response: elsewhere },
      'POST',
      bearer(user.accessToken),
    )
    expect(refused.status).toBe(400)
    expect(await failures(user)).toEqual([
      { ceremony: 'registration', reason: 'origin' },
      { ceremony: 'registration', reason: 'challenge' },
    ])
  })

  it.each([
    ['an empty object', {}],
    ['a credential without client data', { id: 'abc', response: {} }],
    ['client data that is not JSON', { id: 'abc', response: { clientDataJSON: 'bm90IGpzb24' } }],
    [
      'an unknown challenge',
      {
        id: 'abc',
        response: { clientDataJSON: Buffer.from('{"challenge":"x"}').toString('base64url') },
      },
    ],
  ])('answers 401 to %s', async (_name, response) => {
    const res = await signIn(response)
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject(INVALID)
  })

  it('refuses a replayed sign-in: the challenge is used once', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    const response = key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 })
    expect((await signIn(response)).status).toBe(200)
    const replayed = await signIn(response)
    expect(replayed.status).toBe(401)
    expect(replayed.body).toMatchObject(INVALID)
  })

  it.each([
    ['another origin', { origin: 'http://evil.localhost:8123' }, 'origin'],
    ['another RP ID', { origin: ORIGIN, rpId: 'evil.example' }, 'rp-id'],
    ['no user verification', { origin: ORIGIN, userVerified: false }, 'user-verification'],
  ])('refuses a sign-in signed for %s, and audits why', async (_name, ceremony, reason) => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    const res = await signIn(key.assert(await loginOptions(), { ...ceremony, counter: 1 }))
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject(INVALID)
    expect(await failures(user)).toEqual([
      { ceremony: 'login', reason, credentialId: key.credentialId },
    ])
  })

  it.each([
    ['no user handle', null],
    ['another user’s handle', Buffer.from(randomUUID()).toString('base64url')],
  ])('refuses an assertion with %s, and audits why', async (_name, userHandle) => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    const response = key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 }) as any
    response.response.userHandle = userHandle
    const res = await signIn(response)
    expect(res.status).toBe(401)
    expect(await failures(user)).toEqual([
      { ceremony: 'login', reason: 'user-handle', credentialId: key.credentialId },
    ])
  })

  it('refuses a counter that did not advance, audited as a possibly cloned authenticator', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    expect(
      (await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 5 }))).status,
    ).toBe(200)
    const cloned = await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 3 }))
    expect(cloned.status).toBe(401)
    expect(await failures(user)).toEqual([
      { ceremony: 'login', reason: 'counter', credentialId: key.credentialId, possibleClone: true },
    ])
    expect(
      (await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 6 }))).status,
    ).toBe(200)
  })

  it('refuses a disabled account its passkey', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    const stores = await createStores(`sqlite:${path.join(servers.dataDir, 'auth.db')}`)
    try {
      await stores.users.setDisabledAt(user.id, Math.floor(Date.now() / 1000))
    } finally {
      await stores.close()
    }
    const res = await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 }))
    expect(res.status).toBe(401)
    expect(res.body).toMatchObject(INVALID)
  })

  it('counts sign-ins by outcome in gatehouse_passkey_logins_total', async () => {
    const user = await newUser()
    const key = createSoftwareAuthenticator()
    await registerPasskey(user, key)
    const metrics = () => scrape(`${servers.authUrl}/metrics`, bearer(METRICS_TOKEN))
    const before = await metrics()
    expect(
      (await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 }))).status,
    ).toBe(200)
    expect((await signIn({})).status).toBe(401)
    const passkeyLogins = (series: string) => series.startsWith('gatehouse_passkey_logins_total')
    expect(moved(before, await metrics(), passkeyLogins)).toEqual({
      'gatehouse_passkey_logins_total{outcome="success"}': 1,
      'gatehouse_passkey_logins_total{outcome="invalid"}': 1,
    })
  })

  it('keeps no challenge in the database, only its keyed hash', async () => {
    const user = await newUser()
    const signInChallenge = (await loginOptions()).challenge as string
    const registration = await request(`${servers.authUrl}/passkeys/registration/options`, {
      method: 'POST',
      headers: bearer(user.accessToken),
    })
    const files = fs
      .readdirSync(servers.dataDir)
      .filter((name) => name.startsWith('auth.db'))
      .map((name) => fs.readFileSync(path.join(servers.dataDir, name)).toString('latin1'))
    expect(files.length).toBeGreaterThan(0)
    for (const challenge of [signInChallenge, registration.body.challenge as string]) {
      expect(files.some((content) => content.includes(challenge))).toBe(false)
    }
  })

  it('holds at most 20 passkeys per account', async () => {
    const user = await newUser()
    for (let added = 0; added < 20; added += 1) {
      expect((await registerPasskey(user, createSoftwareAuthenticator())).status).toBe(201)
    }
    const refused = await registerPasskey(user, createSoftwareAuthenticator())
    expect(refused.status).toBe(400)
    expect(refused.body.code).toBe('ERR_PASSKEY_REGISTRATION_INVALID')
    expect((await failures(user))[0]).toEqual({ ceremony: 'registration', reason: 'too-many' })
  })

  it('removes only the caller’s own passkey: another user’s is 404', async () => {
    const [owner, other] = [await newUser(), await newUser()]
    const key = createSoftwareAuthenticator()
    await registerPasskey(owner, key)
    const url = `${servers.authUrl}/passkeys/${key.credentialId}`
    const foreign = await request(url, { method: 'DELETE', headers: bearer(other.accessToken) })
    expect(foreign.status).toBe(404)
    expect(foreign.body.code).toBe('ERR_NOT_FOUND')
    expect(
      (await request(url, { method: 'DELETE', headers: bearer(owner.accessToken) })).status,
    ).toBe(204)
    expect(
      (await request(url, { method: 'DELETE', headers: bearer(owner.accessToken) })).status,
    ).toBe(404)
    const res = await signIn(key.assert(await loginOptions(), { origin: ORIGIN, counter: 1 }))
    expect(res.status).toBe(401)
  })
})
