/**
 * Private signing keys are encrypted at rest with AES-256-GCM, so a copy of the database alone
 * cannot mint tokens. The key is derived (HKDF-SHA256) from `KEY_ENCRYPTION_SECRET`.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'
const INFO = 'gatehouse signing-key encryption v1'

export interface KeyEncryption {
  /** `v1.<iv>.<ciphertext>.<tag>`, each base64url. */
  encrypt(plaintext: string): string
  /** Throws when the text was not encrypted with this secret (GCM authenticates it). */
  decrypt(sealed: string): string
}

/**
 * @param secret The operator's `KEY_ENCRYPTION_SECRET` (at least 32 bytes).
 * @example
 * const sealed = createKeyEncryption(secret).encrypt(JSON.stringify(privateJwk))
 */
export function createKeyEncryption(secret: string): KeyEncryption {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret), Buffer.alloc(0), INFO, 32))
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
        throw new Error('signing key: unknown encryption format')
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
