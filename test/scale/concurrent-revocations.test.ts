/**
 * The revocation log's order is its commit order with several writers: 300 logouts at once,
 * spread over two auth servers (separate processes) on one PostgreSQL, and every one of them
 * reaches a feed subscriber on each auth server and is refused by the API server behind each.
 * PostgreSQL draws sequence ids before commit, so without a lock around id and commit a later id
 * can commit first, and a feed following `id > last seen` skips the earlier one for good.
 *
 * @see issue 9, point 1
 */

import { type RevocationSubscriber, subscribeToRevocations } from '@gatehouse/verify'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GOOD_PASSWORD, register, uniqueName } from '../abuse/abuse-kit.js'
import { login, sendJson } from '../helpers/test-servers.js'
import { getPosts, pollUntil } from '../revocation/revocation-kit.js'
import { type ServerProcess, spawnServer, stopAll } from './process-kit.js'
import { createDeployment, type Deployment, shouldRunScaleTests } from './scale-kit.js'

const runScale = await shouldRunScaleTests('test/scale/concurrent-revocations.test.ts')

/** How many sessions end at once. */
const LOGOUTS = 300

describe.runIf(runScale)('300 concurrent logouts over two auth servers on PostgreSQL', () => {
  let deployment: Deployment
  let auth: ServerProcess[] = []
  let api: ServerProcess[] = []
  let subscribers: RevocationSubscriber[] = []

  beforeAll(async () => {
    // Each server's port is the system's, read from its log: the API servers follow the auth ones.
    deployment = await createDeployment({
      TOKEN_ISSUER: 'http://gatehouse.test',
      RATE_LIMIT_LOGIN_ACCOUNT: 'off',
      RATE_LIMIT_LOGIN_IP: 'off',
      RATE_LIMIT_REGISTER_IP: 'off',
    })
    const env = (own: Record<string, string>) => ({
      ...deployment.sharedEnv,
      DATA_DIR: deployment.dataDir(),
      ...own,
    })
    auth = [await spawnServer('auth', env({})), await spawnServer('auth', env({}))]
    api = await Promise.all(
      auth.map((server) => spawnServer('api', env({ AUTH_SERVER_URL: server.url }))),
    )
    const token = String(deployment.sharedEnv.REVOCATION_FEED_TOKEN)
    subscribers = auth.map((server) =>
      subscribeToRevocations({ url: `${server.url}/revocations`, token }),
    )
    await Promise.all(subscribers.map((subscriber) => subscriber.synced))
  }, 120_000)

  afterAll(async () => {
    for (const subscriber of subscribers) subscriber.close()
    await stopAll([...api, ...auth])
    await deployment?.close()
  })

  it('every ended session reaches every subscriber and is refused by every API server', async () => {
    const username = uniqueName('many')
    await register(auth[0]?.url ?? '', username)
    const sessions: Awaited<ReturnType<typeof login>>[] = []
    // Logins a few at a time (each costs an argon2id hash); the logouts below all at once.
    for (let i = 0; i < LOGOUTS; i += 10) {
      const batch = Array.from({ length: Math.min(10, LOGOUTS - i) }, (_, j) =>
        login(auth[(i + j) % 2]?.url ?? '', username, GOOD_PASSWORD),
      )
      sessions.push(...(await Promise.all(batch)))
    }
    const statuses = await Promise.all(
      sessions.map((tokens, i) =>
        sendJson(
          `${auth[i % 2]?.url}/logout`,
          { refreshToken: tokens.refreshToken },
          'DELETE',
        ).then((res) => res.status),
      ),
    )
    expect(statuses.every((status) => status === 204)).toBe(true)

    const sids = sessions.map((tokens) => String(decodeJwt(tokens.accessToken).sid))
    const missing = (subscriber: RevocationSubscriber) =>
      sids.filter((sid) => !subscriber.isRevoked(sid, '', Date.now() / 1000))
    for (const subscriber of subscribers) {
      const left = await pollUntil(
        async () => missing(subscriber),
        (list) => list.length === 0,
        10_000,
      )
      expect(left).toEqual([])
    }
    for (const server of api) {
      const accepted = await pollUntil(
        async () => {
          const answers = await Promise.all(
            sessions.map((tokens) => getPosts(server.url, tokens.accessToken)),
          )
          return answers.filter((res) => res.status !== 403).length
        },
        (count) => count === 0,
        10_000,
      )
      expect(accepted).toBe(0)
    }
  }, 180_000)
})
