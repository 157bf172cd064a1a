/**
 * How long the subscriber holds an entry, against a feed of our own (a real HTTP server sending
 * Server-Sent Events): until the entry's `exp` plus the verifier's clock tolerance, and, once it
 * refuses a token that outlives the entry, until that token's `exp`. `now` is an argument of
 * `isRevoked`, so no clock is moved.
 *
 * @see issue 9, point 4
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { type RevocationSubscriber, subscribeToRevocations } from '@gatehouse/verify'
import { afterEach, describe, expect, it } from 'vitest'

const EXP = 1_800_000_000 // seconds: the entry's exp

describe('the revocation subscriber', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })

  /** A feed that sends one `sid` entry expiring at `EXP`, then `synced`, and stays open. */
  async function follow(clockTolerance?: number): Promise<RevocationSubscriber> {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(`id: test.1\ndata: ${JSON.stringify({ id: 1, sid: 'ended', exp: EXP })}\n\n`)
      res.write('id: test.1\nevent: synced\ndata: {"lastEventId":"test.1"}\n\n')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const subscriber = subscribeToRevocations({
      url: `http://127.0.0.1:${port}/revocations`,
      token: 'test-feed-token-0123456789abcdef0123456789',
      clockTolerance,
    })
    cleanups.push(() => {
      subscriber.close()
      server.closeAllConnections()
      server.close()
    })
    await subscriber.synced
    return subscriber
  }

  it('holds an entry until its exp plus the clock tolerance', async () => {
    const subscriber = await follow(60)
    expect(subscriber.isRevoked('ended', 'some-jti', EXP + 59)).toBe(true)
    expect(subscriber.isRevoked('ended', 'some-jti', EXP + 60)).toBe(false)
    expect(subscriber.isRevoked('another', 'some-jti', EXP)).toBe(false)
  })

  it('holds an entry until its exp alone without a tolerance', async () => {
    const subscriber = await follow()
    expect(subscriber.isRevoked('ended', 'some-jti', EXP - 1)).toBe(true)
    expect(subscriber.isRevoked('ended', 'some-jti', EXP)).toBe(false)
  })

  it('keeps refusing a token that outlives its entry until the token expires', async () => {
    const subscriber = await follow(5)
    const tokenExp = EXP + 600
    expect(subscriber.isRevoked('ended', 'late-token', EXP - 10, tokenExp)).toBe(true)
    expect(subscriber.isRevoked('ended', 'late-token', EXP + 300, tokenExp)).toBe(true)
    expect(subscriber.isRevoked('ended', 'late-token', tokenExp + 4, tokenExp)).toBe(true)
    expect(subscriber.isRevoked('ended', 'late-token', tokenExp + 5, tokenExp)).toBe(false)
  })
})
