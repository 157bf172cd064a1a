/**
 * Graceful shutdown of the real process, one node process receiving the signal itself as with
 * `npm start` (which runs the compiled `dist/main/start-all.js`), here from the sources
 * (`node --import tsx src/main/start-all.ts`) so that it never tests a stale build: SIGTERM in the middle of a burst of requests over keep-alive
 * connections fails none of the requests already sent, the process exits 0 within its bound, and
 * afterwards nothing listens.
 *
 * Not through the `tsx` command: it relays a signal to its node child and SIGKILLs the child
 * unless the child confirms within ~60 ms, which a child busy with a burst does not always do.
 */
import http from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT_DEADLINE } from '../../src/main/graceful-shutdown.js'
import {
  killGroup,
  listening,
  logLines,
  type StartedScript,
  startScript,
} from '../helpers/start-script.js'
import { bearer, login, makeTempDir } from '../helpers/test-servers.js'
import { send } from './shutdown-kit.js'

/** GET /posts in the burst, and logins among them (~0.1–0.2 s each: argon2). */
const POSTS_REQUESTS = 200
const LOGIN_REQUESTS = 20

describe('SIGTERM during a burst of requests', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function startAll(): Promise<{ started: StartedScript; authUrl: string; apiUrl: string }> {
    const temp = makeTempDir('gatehouse-shutdown-')
    cleanups.push(temp.remove)
    const started = startScript(
      'src/main/start-all.ts',
      {
        // Both ports from the system, learnt from the start-up lines: never picked, then bound.
        AUTH_SERVER_PORT: '0',
        API_SERVER_PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: temp.dir,
        LOG_LEVEL: 'info',
        // The burst's logins are Jane's, in parallel, from one address: each takes a point of the
        // per-account limit before its password is checked (5 per 15 minutes), so raise it, and
        // the per-IP one with it, for every login to be answered 200.
        RATE_LIMIT_LOGIN_ACCOUNT: '1000/15m',
        RATE_LIMIT_LOGIN_IP: '1000/15m',
      },
      'node --import tsx',
    )
    cleanups.push(() => killGroup(started.child))
    const lines = await listening(started, 2)
    const portOf = (name: string) => lines.find((line) => line.name === name)?.port
    return {
      started,
      authUrl: `http://127.0.0.1:${portOf('auth-server')}`,
      apiUrl: `http://127.0.0.1:${portOf('api-server')}`,
    }
  }

  it('answers every request sent before the signal, exits 0 within its bound, then refuses connections', async () => {
    const { started, authUrl, apiUrl } = await startAll()
    const { accessToken } = await login(authUrl)
    const agents = [new http.Agent({ keepAlive: true }), new http.Agent({ keepAlive: true })]
    cleanups.push(() => {
      for (const agent of agents) agent.destroy()
    })
    const [apiAgent, authAgent] = agents as [http.Agent, http.Agent]
    const total = POSTS_REQUESTS + LOGIN_REQUESTS
    let sentCount = 0
    let signalled = false
    const isAfter = () => signalled
    // SIGTERM goes out the moment the last request of the burst is written: all are in flight.
    const onSent = () => {
      sentCount += 1
      if (sentCount === total && !signalled) {
        signalled = true
        process.kill(started.child.pid as number, 'SIGTERM')
      }
    }
    let inBurst = false
    const options = () => (inBurst ? { isAfter, onSent } : {})
    const getPosts = () =>
      send({
        agent: apiAgent,
        url: `${apiUrl}/posts`,
        headers: bearer(accessToken),
        ...options(),
      })
    const postLogin = () =>
      send({
        agent: authAgent,
        url: `${authUrl}/login`,
        method: 'POST',
        body: { username: 'Jane', password: 'abcd' },
        ...options(),
      })

    // Warm up: keep-alive connections are open and idle in both agents' pools.
    const warm = await Promise.all(Array.from({ length: 50 }, getPosts))
    expect(warm.map((outcome) => outcome.status)).toEqual(Array(50).fill(200))
    expect(warm.every((outcome) => outcome.connection === 'keep-alive')).toBe(true)
    expect((await postLogin()).status).toBe(200)

    // The burst: reused idle connections and new ones (the agents queue nothing: no socket limit).
    inBurst = true
    const burst = [
      ...Array.from({ length: POSTS_REQUESTS }, getPosts),
      ...Array.from({ length: LOGIN_REQUESTS }, postLogin),
    ]
    const outcomes = await Promise.all(burst)
    const [code] = await withBound(started.exited, EXIT_DEADLINE + 5)

    const sentBefore = outcomes.filter((outcome) => outcome.sentBefore)
    expect(signalled).toBe(true)
    expect(sentBefore).toHaveLength(total)
    const failures = sentBefore.filter((outcome) => outcome.error !== undefined)
    expect(failures).toEqual([])
    const posts = sentBefore.slice(0, POSTS_REQUESTS)
    expect(posts.map((outcome) => outcome.status)).toEqual(Array(POSTS_REQUESTS).fill(200))
    expect(posts.every((outcome) => Array.isArray(outcome.body))).toBe(true)
    const logins = sentBefore.slice(POSTS_REQUESTS)
    expect(logins.map((outcome) => outcome.status)).toEqual(Array(LOGIN_REQUESTS).fill(200))
    expect(logins.every((outcome) => typeof (outcome.body as any)?.accessToken === 'string')).toBe(
      true,
    )
    // The signal did land during the burst: some answers came after it, and say Connection: close.
    expect(outcomes.some((outcome) => outcome.connection === 'close')).toBe(true)

    expect(code).toBe(0)
    // Each server and the process log through their own pino destination on stdout, so lines of
    // two loggers may come out of order at exit: compare the process logger's own lines.
    const own = logLines(started)
      .filter((line) => line.msg === 'shutting down' || line.msg === 'stopped')
      .map((line) => line.msg)
    expect(own).toEqual(['shutting down', 'stopped'])

    for (const url of [`${authUrl}/healthz`, `${apiUrl}/healthz`]) {
      expect(await send({ agent: new http.Agent(), url })).toMatchObject({ error: 'ECONNREFUSED' })
    }
  })
})

/** `promise`, or a rejection after `seconds`: shutdown is the subject here, so it is bounded. */
function withBound<T>(promise: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no exit within ${seconds} s`)), seconds * 1000)
  })
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer))
}
