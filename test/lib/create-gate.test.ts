import { describe, expect, it } from 'vitest'
import { createGate } from '../../src/lib/create-gate.js'

describe('createGate', () => {
  it('runs at most `size` tasks at once, the others in order as slots free up', async () => {
    const gate = createGate(2)
    let running = 0
    let most = 0
    const order: number[] = []
    const releases: (() => void)[] = []
    const tasks = [0, 1, 2, 3, 4].map((n) =>
      gate(async () => {
        running += 1
        most = Math.max(most, running)
        order.push(n)
        await new Promise<void>((resolve) => releases.push(resolve))
        running -= 1
        return n
      }),
    )
    while (order.length < 5) {
      await new Promise((resolve) => setImmediate(resolve))
      releases.shift()?.()
    }
    for (const release of releases) release()
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4])
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(most).toBe(2)
  })

  it('frees the slot of a task that throws', async () => {
    const gate = createGate(1)
    await expect(gate(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await gate(async () => 'next')).toBe('next')
  })
})
