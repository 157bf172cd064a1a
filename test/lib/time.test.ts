import { afterEach, describe, expect, it, vi } from 'vitest'
import { nowSeconds } from '../../src/lib/time.js'

describe('nowSeconds', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('returns whole seconds since the epoch, rounded down', () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_700_000_000_999)
    expect(nowSeconds()).toBe(1_700_000_000)
  })
})
