/**
 * The `Authorization` header as it comes off the wire, in every adapter alike: any casing of its
 * name, and of two such headers the first one (as Node keeps it in `req.headers`). The node:http
 * adapter reads it from `rawHeaders`, so this pins it to what the frameworks see.
 *
 * @see issue 10: packages other projects can install
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADAPTERS, type AdapterKit, type StartedAdapter } from './adapters.js'
import { accessClaims, newSecret, signToken } from './token-kit.js'

const ISSUER = 'https://auth.example.test'
const AUDIENCE = 'orders-api'
const SECRET = newSecret()

/** Sends `headerLines` raw on one connection and resolves with the status code of the answer. */
function rawStatus(url: string, headerLines: string[]): Promise<number> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname)
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      answer += chunk
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]
      if (status) {
        socket.destroy()
        resolve(Number(status))
      }
    })
    socket.on('error', reject)
    socket.write(
      ['GET /me HTTP/1.1', `Host: ${hostname}`, 'Connection: close', ...headerLines, '', ''].join(
        '\r\n',
      ),
    )
  })
}

describe.each(ADAPTERS.map((kit) => [kit.name, kit] as const))(
  'the Authorization header of a raw request in a %s app',
  (_name, kit: AdapterKit) => {
    let app: StartedAdapter
    let token: string
    beforeAll(async () => {
      app = await kit.start({
        issuer: ISSUER,
        audience: AUDIENCE,
        secret: SECRET,
        algorithms: ['HS256'],
      })
      const now = Math.floor(Date.now() / 1000)
      token = await signToken(
        accessClaims({ issuer: ISSUER, audience: AUDIENCE, sub: 'user-42', name: 'Ada', now }),
        SECRET,
      )
    })
    afterAll(() => app.close())

    it('is found whatever the casing of its name', async () => {
      expect(await rawStatus(app.url, [`AUTHORIZATION: Bearer ${token}`])).toBe(200)
      expect(await rawStatus(app.url, [`authorization: Bearer ${token}`])).toBe(200)
    })

    it('is the first of two, as Node keeps it', async () => {
      expect(
        await rawStatus(app.url, [`Authorization: Bearer ${token}`, 'Authorization: Bearer junk']),
      ).toBe(200)
      expect(
        await rawStatus(app.url, ['Authorization: Bearer junk', `Authorization: Bearer ${token}`]),
      ).toBe(403)
    })

    it('is missing when another header only looks like it', async () => {
      expect(await rawStatus(app.url, [`X-Authorization: Bearer ${token}`])).toBe(401)
    })
  },
)
