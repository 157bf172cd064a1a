import { randomBytes } from 'node:crypto'
import type { Print } from './keys.js'

/** `gatehouse gen-secret`: 64 random bytes as hex, the tutorial's way to make a secret. */
export function genSecret(print: Print): void {
  print(randomBytes(64).toString('hex'))
}
