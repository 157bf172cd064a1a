import type { ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { killGroup, listening, type StartedScript, startScript } from '../helpers/start-script.js'
import {
  bearer,
  errorBody,
  login,
  makeTempDir,
  request,
  sendJson,
} from '../helpers/test-servers.js'

describe('the start scripts', () => {
  const children: ChildProcess[] = []
  const temps: ReturnType<typeof makeTempDir>[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) await killGroup(child)
    for (const temp of temps.splice(0)) temp.remove()
  })

  function start(
    script: string,
    env: Record<string, string>,
    via?: Parameters<typeof startScript>[2],
  ): StartedScript {
    const started = startScript(script, env, via)
    children.push(started.child)
    return started
  }

  const dataDir = () => {
    const temp = makeTempDir('gatehouse-main-')
    temps.push(temp)
    return temp.dir
  }

  /**
   * Both ports from the system: the auth server names its issuer after the port it got, and the
   * API server is pointed at it (start-all) and reads the issuer from it.
   */
  const serverEnv = async (dir: string) => ({
    AUTH_SERVER_PORT: '0',
    API_SERVER_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    LOG_LEVEL: 'info',
  })

  it('stops at start-up with one line naming ACCESS_TOKEN_SECRET when it is too short', async () => {
    const dir = path.join(dataDir(), 'not-created')
    const started = start('src/main/auth-start.ts', {
      DATA_DIR: dir,
      ACCESS_TOKEN_SECRET: 'short-s3cret',
    })
    const [code] = await started.exited
    expect(code).toBe(1)
    const lines = started.stderr().split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^Invalid configuration: ACCESS_TOKEN_SECRET must be at least 32 bytes/,
    )
    expect(started.stderr()).not.toContain('short-s3cret')
    expect(started.stderr()).not.toMatch(/\bat .*:\d+:\d+/)
    expect(started.stdout()).toBe('')
    expect(fs.existsSync(dir)).toBe(false)
  })

  it('stops the API server with one line naming API_SERVER_PORT when it is not a port', async () => {
    const started = start('src/main/api-start.ts', { DATA_DIR: dataDir(), API_SERVER_PORT: 'abc' })
    const [code] = await started.exited
    expect(code).toBe(1)
    expect(started.stderr()).toBe(
      'Invalid configuration: API_SERVER_PORT must be a port from 0 to 65535\n',
    )
  })

  it('runs both servers with demo data, says so once per server, serves Jane, and exits 0 on SIGTERM', async () => {
    // One process that gets the signal itself, as `npm start` runs: the `tsx` command relays it to
    // a node child and SIGKILLs that child (exit 143) unless it confirms within about 60 ms, which a
    // busy machine does not always do (docs/operations.md, "Stopping").
    const started = start('src/main/start-all.ts', await serverEnv(dataDir()), 'node --import tsx')
    const lines = await listening(started, 2)
    const auth = lines.find((line) => line.msg.startsWith('auth server listening on port '))
    const api = lines.find((line) => line.msg.startsWith('API server listening on port '))
    expect(auth?.msg).toBe(
      `auth server listening on port ${auth?.port}: signing keys (EdDSA), issuer http://localhost:${auth?.port}, audience gatehouse-api, access tokens live 15m (demo data on: users Jane and John, password "abcd" - development only)`,
    )
    expect(api?.msg).toBe(
      `API server listening on port ${api?.port}: signing keys (EdDSA), issuer http://localhost:${auth?.port}, audience gatehouse-api, access tokens live 15m (demo data on: users Jane and John, password "abcd" - development only)`,
    )
    expect(lines.filter((line) => /demo data/.test(line.msg))).toHaveLength(2)

    const tokens = await login(`http://127.0.0.1:${auth?.port}`, 'Jane', 'abcd')
    const posts = await request(`http://127.0.0.1:${api?.port}/posts`, {
      headers: bearer(tokens.accessToken),
    })
    expect(posts.status).toBe(200)
    expect(posts.body.map((post: { title: string }) => post.title)).toEqual(['Post 1'])

    started.child.kill('SIGTERM')
    const [code] = await started.exited
    expect(code).toBe(0)
    expect(started.stdout()).toContain('"msg":"shutting down"')
  })

  it('starts with no demo data under NODE_ENV=production: Jane cannot log in', async () => {
    const started = start('src/main/start-all.ts', {
      ...(await serverEnv(dataDir())),
      NODE_ENV: 'production',
    })
    const lines = await listening(started, 2)
    expect(lines.map((line) => line.demoData)).toEqual([false, false])
    expect(lines.filter((line) => /demo/i.test(line.msg))).toEqual([])

    const auth = lines.find((line) => line.name === 'auth-server')
    const res = await sendJson(`http://127.0.0.1:${auth?.port}/login`, {
      username: 'Jane',
      password: 'abcd',
    })
    expect(res.status).toBe(401)
    expect(res.body).toEqual(
      errorBody(res, {
        code: 'ERR_INVALID_CREDENTIALS',
        message: 'Invalid username or password',
      }),
    )
  })

  it('serves login tokens when AUTH_SERVER_PORT=0 lets the system pick the auth port', async () => {
    const started = start('src/main/start-all.ts', {
      ...(await serverEnv(dataDir())),
      AUTH_SERVER_PORT: '0',
    })
    const lines = await listening(started, 2)
    const auth = lines.find((line) => line.name === 'auth-server')
    const api = lines.find((line) => line.name === 'api-server')
    const tokens = await login(`http://127.0.0.1:${auth?.port}`, 'Jane', 'abcd')
    const posts = await request(`http://127.0.0.1:${api?.port}/posts`, {
      headers: bearer(tokens.accessToken),
    })
    expect(posts.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ title: 'Post 1' })]),
    )
    expect(posts.status).toBe(200)
  })
})
