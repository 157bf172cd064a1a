/** The `DpopProofStore` part of the store contract (see `contract.ts`). @see issue 9, point 8 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

export function registerDpopProofStoreContract(context: ContractContext): void {
  describe('DpopProofStore', () => {
    it('accepts a jti once and refuses it afterwards', async () => {
      const { dpopProofs } = context.shared()
      const jti = randomUUID()
      expect(await dpopProofs.use(jti, Math.floor(Date.now() / 1000) + 60)).toBe(true)
      expect(await dpopProofs.use(jti, Math.floor(Date.now() / 1000) + 60)).toBe(false)
      expect(await dpopProofs.use(randomUUID(), Math.floor(Date.now() / 1000) + 60)).toBe(true)
    })

    it('lets exactly one of 20 concurrent uses of one jti succeed', async () => {
      const { dpopProofs } = context.shared()
      const jti = randomUUID()
      const results = await Promise.all(
        Array.from({ length: 20 }, () => dpopProofs.use(jti, Math.floor(Date.now() / 1000) + 60)),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
    })

    it('sweeps jtis whose window closed and keeps the others', async () => {
      const stores = await context.fresh()
      const closed = randomUUID()
      const open = randomUUID()
      // Redis forgets a key that expired on its own: only SQL has something to sweep.
      await stores.dpopProofs.use(closed, NOW + 10)
      await stores.dpopProofs.use(open, NOW + 100)
      const swept = await stores.dpopProofs.sweep(NOW + 50)
      expect(swept).toBe(context.expiresNatively() ? 0 : 1)
      if (!context.expiresNatively()) {
        expect(await stores.dpopProofs.use(open, NOW + 100)).toBe(false)
        expect(await stores.dpopProofs.use(closed, NOW + 100)).toBe(true)
      }
      await stores.close()
    })
  })
}
