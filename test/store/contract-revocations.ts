/** The `RevocationStore` part of the store contract (see `contract.ts`). */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Revocation } from '../../src/store/types.js'
import type { ContractContext } from './contract.js'

const NOW = 1_800_000_000 // seconds

function entry(expiresAt: number, kind: 'sid' | 'jti' = 'sid'): Omit<Revocation, 'id'> {
  return { kind, value: randomUUID(), expiresAt }
}

export function registerRevocationStoreContract(context: ContractContext): void {
  describe('RevocationStore', () => {
    it('adds entries and returns them with increasing number ids, in order', async () => {
      const { revocations } = context.shared()
      const entries = [entry(NOW + 60), entry(NOW + 30, 'jti'), entry(NOW + 90)]
      const added = await revocations.add(entries, NOW)
      expect(added.map(({ id: _, ...rest }) => rest)).toEqual(entries)
      const ids = added.map((revocation) => revocation.id)
      for (const id of ids) expect(Number.isSafeInteger(id)).toBe(true)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(new Set(ids).size).toBe(3)

      const later = await revocations.add([entry(NOW + 60)], NOW)
      expect(later[0]?.id).toBeGreaterThan(ids[2] ?? Number.POSITIVE_INFINITY)
      expect(await revocations.add([], NOW)).toEqual([])
    })

    it('reports the highest id given as lastId', async () => {
      const { revocations } = context.shared()
      const added = await revocations.add([entry(NOW + 60), entry(NOW + 60)], NOW)
      expect((await revocations.head()).lastId).toBe(added[1]?.id)
    })

    it('names its log with one epoch in head and listActive, another for another log', async () => {
      const { revocations } = context.shared()
      const { epoch } = await revocations.head()
      expect(epoch).toMatch(/^[A-Za-z0-9_-]{1,64}$/)
      expect((await revocations.listActive(NOW, 0, 1)).epoch).toBe(epoch)
      await revocations.add([entry(NOW + 60)], NOW)
      expect((await revocations.head()).epoch).toBe(epoch)
      const stores = await context.fresh()
      try {
        expect((await stores.revocations.head()).epoch).not.toBe(epoch)
      } finally {
        await stores.close()
      }
    })

    it('starts lastId at 0 for an empty log', async () => {
      const stores = await context.fresh()
      try {
        expect((await stores.revocations.head()).lastId).toBe(0)
      } finally {
        await stores.close()
      }
    })

    it('lists the entries in force after an id, in pages, skipping expired ones', async () => {
      const { revocations } = context.shared()
      const added = await revocations.add(
        [entry(NOW + 60), entry(NOW), entry(NOW + 60, 'jti'), entry(NOW + 61), entry(NOW + 1)],
        NOW - 100,
      )
      const start = (added[0]?.id ?? 0) - 1
      const inForce = added.filter((revocation) => revocation.expiresAt > NOW)

      const first = (await revocations.listActive(NOW, start, 2)).entries
      expect(first).toEqual(inForce.slice(0, 2))
      const second = (await revocations.listActive(NOW, first[1]?.id ?? 0, 2)).entries
      expect(second).toEqual(inForce.slice(2, 4))
      expect((await revocations.listActive(NOW, second[1]?.id ?? 0, 2)).entries).toEqual([])
    })

    it('sweeps the entries no longer in force and keeps the others', async () => {
      const stores = await context.fresh()
      try {
        const added = await stores.revocations.add(
          [entry(NOW - 1), entry(NOW), entry(NOW + 1)],
          NOW - 100,
        )
        expect(await stores.revocations.sweep(NOW)).toBe(2)
        expect((await stores.revocations.listActive(NOW - 10, 0, 10)).entries).toEqual([added[2]])
        expect(await stores.revocations.sweep(NOW)).toBe(0)
      } finally {
        await stores.close()
      }
    })
  })
}
