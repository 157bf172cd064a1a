/**
 * Private signing keys are encrypted at rest with AES-256-GCM, so a copy of the database alone
 * cannot mint tokens. The key is derived (HKDF-SHA256) from `KEY_ENCRYPTION_SECRET`, with an
 * `info` per purpose: the TOTP secrets are sealed under another key than the signing keys, so
 * neither kind of ciphertext opens with the other's key.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/** What is sealed; each purpose has its own derived key. */
export type KeyEncryptionPurpose = 'signing-key' | 'totp-secret'

/** How errors name what failed to open. */
const LABEL: Readonly<Record<KeyEncryptionPurpose, string>> = {
  'signing-key': 'signing key',
  'totp-secret': 'TOTP secret',
}

/** HKDF `info` of each purpose; the signing keys' is the one they have always been sealed with. */
const INFO: Readonly<Record<KeyEncryptionPurpose, string>> = {
  'signing-key': 'gatehouse signing-key encryption v1',
  'totp-secret': 'gatehouse totp-secret encryption v1',
}

export interface KeyEncryption {
  /** `v1.<iv>.<ciphertext>.<tag>`, each base64url. */
  encrypt(plaintext: string): string
  /** Throws when the text was not encrypted with this secret (GCM authenticates it). */
  decrypt(sealed: string): string
}

/**
 * @param secret The operator's `KEY_ENCRYPTION_SECRET` (at least 32 bytes).
 * @param purpose What it seals.
 * @default purpose 'signing-key'
 * @example
 * const sealed = createKeyEncryption(secret).encrypt(JSON.stringify(privateJwk))
 * const sealedTotp = createKeyEncryption(secret, 'totp-secret').encrypt(base32Secret)
 */
export function createKeyEncryption(
  secret: string,
  purpose: KeyEncryptionPurpose = 'signing-key',
): KeyEncryption {
  const info = INFO[purpose]
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), info, 32))
  return {
    encrypt(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return [VERSION, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.')
    },
    decrypt(sealed) {
      const [version, iv, ciphertext, tag] = sealed.split('.')
      if (version !== VERSION || !iv || !ciphertext || !tag) {
        throw new Error(`${LABEL[purpose]}: unknown encryption format`)
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8')
    },
  }
}
