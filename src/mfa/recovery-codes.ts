/**
 * Recovery codes: ten at enrolment, each 10 characters of Crockford's base32 (50 random bits),
 * shown as `XXXXX-XXXXX`, stored only as argon2id hashes, each usable once.
 *
 * Hashing: the codes are random (50 bits, not a person's choice), so what protects a stolen copy
 * of the database is mostly their entropy; argon2id adds the cost of a guess. OWASP's Password
 * Storage Cheat Sheet lists equivalent argon2id configurations; this uses its lowest-memory one
 * (m = 7 MiB, t = 5, p = 1) rather than the passwords' 19 MiB, because an enrolment hashes ten
 * codes and a check may try each unused one, in parallel on libuv's pool.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import argon2 from 'argon2'
import { ARGON2_TEST_OPTIONS } from '../passwords/password-hasher.js'
import type { StoredRecoveryCode } from './mfa-store.js'

/** How many codes an enrolment hands out. */
export const RECOVERY_CODE_COUNT = 10

/** Crockford's base32: no I, L, O or U, so nothing reads as another character. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 10
const NORMALISED = /^[0-9A-HJKMNP-TV-Z]{10}$/

/** OWASP's argon2id configuration with the least memory (see the module comment). */
export const RECOVERY_CODE_ARGON2_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 7 * 1024, // KiB = 7 MiB
  timeCost: 5,
  parallelism: 1,
} as const

export interface RecoveryCodeHasher {
  /** Ten new codes as shown to the user, and their rows to store. */
  generate(): Promise<{ codes: string[]; rows: StoredRecoveryCode[] }>
  /** The row of `stored` that `presented` is the code of; `undefined` for none. */
  find(
    stored: readonly StoredRecoveryCode[],
    presented: string,
  ): Promise<StoredRecoveryCode | undefined>
}

/**
 * @param cost `low` only in tests (`PASSWORD_HASH_COST=low`, as the password hasher).
 * @example
 * const { codes, rows } = await createRecoveryCodeHasher('standard').generate()
 */
export function createRecoveryCodeHasher(cost: 'standard' | 'low'): RecoveryCodeHasher {
  const options = cost === 'low' ? ARGON2_TEST_OPTIONS : RECOVERY_CODE_ARGON2_OPTIONS
  return {
    async generate() {
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode)
      const rows = await Promise.all(
        codes.map(async (code) => ({ id: randomUUID(), hash: await argon2.hash(code, options) })),
      )
      return { codes: codes.map(formatCode), rows }
    },
    async find(stored, presented) {
      const code = normaliseRecoveryCode(presented)
      if (code === undefined) return undefined
      const matches = await Promise.all(stored.map((row) => argon2.verify(row.hash, code)))
      return stored[matches.indexOf(true)]
    },
  }
}

/**
 * The code as stored, from what a person typed: case, spaces and dashes do not matter, and the
 * letters Crockford's base32 leaves out read as the digits they look like (O → 0, I and L → 1).
 * `undefined` when it cannot be a code.
 *
 * @example
 * normaliseRecoveryCode('abcde-fghjk') // 'ABCDEFGHJK'
 */
export function normaliseRecoveryCode(typed: string): string | undefined {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return NORMALISED.test(code) ? code : undefined
}

function newCode(): string {
  // 32 symbols: each byte's low 5 bits are uniform.
  return [...randomBytes(CODE_LENGTH)].map((byte) => ALPHABET[byte & 31]).join('')
}

function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`
}
