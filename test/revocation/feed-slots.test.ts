import { describe, expect, it } from 'vitest'
import { createFeedSlots } from '../../src/revocation/feed-slots.js'

describe('createFeedSlots', () => {
  it('refuses past the per-client limit with 429 and past the total with 503, both Retry-After 5', () => {
    const slots = createFeedSlots({ maxStreams: 3, maxStreamsPerClient: 2 })
    slots.acquire('a')
    slots.acquire('a')
    expect(() => slots.acquire('a')).toThrow(
      expect.objectContaining({ code: 'ERR_FEED_CLIENT_LIMIT', status: 429, retryAfter: 5 }),
    )
    slots.acquire('b')
    expect(() => slots.acquire('c')).toThrow(
      expect.objectContaining({ code: 'ERR_FEED_AT_CAPACITY', status: 503, retryAfter: 5 }),
    )
    expect(slots.inUse).toBe(3)
  })

  it('gives a slot back once, however often its release is called', () => {
    const slots = createFeedSlots({ maxStreams: 2, maxStreamsPerClient: 1 })
    const release = slots.acquire('a')
    slots.acquire('b')
    release()
    release()
    expect(slots.inUse).toBe(1)
    expect(() => slots.acquire('b')).toThrow(
      expect.objectContaining({ code: 'ERR_FEED_CLIENT_LIMIT' }),
    )
    slots.acquire('a')
    expect(slots.inUse).toBe(2)
  })
})
