/**
 * `npm start` (start-all) serves the demo web app beside the two servers: it logs the URL to
 * open, its `/config.json` points at the servers, and with `CORS_ORIGINS` unset both servers
 * admit the demo app's origins, and no other.
 */
import type { ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import {
  killGroup,
  listening,
  logLines,
  type StartedScript,
  startScript,
} from '../helpers/start-script.js'
import { makeTempDir, request } from '../helpers/test-servers.js'

/** Resolves with the first JSON log line of the demo app; rejects if the process exits first. */
function demoAppLine(started: StartedScript): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = logLines(started).find((entry) => entry.name === 'demo-app')
      if (!line) return
      started.child.stdout?.off('data', check)
      resolve(line)
    }
    started.child.stdout?.on('data', check)
    check()
    started.exited.then(([code]) => reject(new Error(`exited with ${code}: ${started.stderr()}`)))
  })
}

describe('start-all and the demo app', () => {
  const children: ChildProcess[] = []
  const temps: ReturnType<typeof makeTempDir>[] = []
  afterEach(async () => {
    for (const child of children.splice(0)) await killGroup(child)
    for (const temp of temps.splice(0)) temp.remove()
  })

  function start(env: Record<string, string>): StartedScript {
    const temp = makeTempDir('gatehouse-demo-start-')
    temps.push(temp)
    const started = startScript('src/main/start-all.ts', {
      AUTH_SERVER_PORT: '0',
      API_SERVER_PORT: '0',
      DEMO_APP_PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: temp.dir,
      LOG_LEVEL: 'info',
      ...env,
    })
    children.push(started.child)
    return started
  }

  it('logs the demo app URL, points its config at the servers, and admits its origins only', async () => {
    const started = start({})
    const [lines, demo] = await Promise.all([listening(started, 2), demoAppLine(started)])
    const port = (name: string) => lines.find((line) => line.name === name)?.port as number
    expect(demo.msg).toBe(`demo app: open http://localhost:${demo.port}/`)

    const config = await request(`http://127.0.0.1:${demo.port}/config.json`)
    expect(config.body).toEqual({
      authUrl: `http://127.0.0.1:${port('auth-server')}`,
      apiUrl: `http://127.0.0.1:${port('api-server')}`,
    })

    for (const server of ['auth-server', 'api-server']) {
      const url = `http://127.0.0.1:${port(server)}/healthz`
      const allowed = (origin: string) =>
        request(url, { headers: { origin } }).then((res) =>
          res.headers.get('access-control-allow-origin'),
        )
      expect(await allowed(`http://localhost:${demo.port}`), server).toBe(
        `http://localhost:${demo.port}`,
      )
      expect(await allowed(`http://127.0.0.1:${demo.port}`), server).toBe(
        `http://127.0.0.1:${demo.port}`,
      )
      expect(await allowed('http://localhost:1'), server).toBeNull()
    }
  })

  it('leaves CORS_ORIGINS as set when it is set', async () => {
    const started = start({ CORS_ORIGINS: 'https://app.example.com' })
    const [lines, demo] = await Promise.all([listening(started, 2), demoAppLine(started)])
    const auth = lines.find((line) => line.name === 'auth-server')?.port
    const res = await request(`http://127.0.0.1:${auth}/healthz`, {
      headers: { origin: `http://localhost:${demo.port}` },
    })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
  })
})
