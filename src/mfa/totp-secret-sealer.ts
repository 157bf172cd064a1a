/**
 * Seals TOTP secrets at rest with the key-encryption secret (`KEY_ENCRYPTION_SECRET`, or the
 * one generated in `<DATA_DIR>/key-encryption.secret`), under a key of their own (HKDF purpose
 * `totp-secret`), so a copy of the database yields no secret: the key is never in it.
 *
 * The secret is read at the first use, not at start-up: in tutorial mode (HS256, no signing keys)
 * a server whose users never enrol a factor generates no key-encryption secret; one that does
 * gets it generated then, in the data folder, as the signing keys would.
 *
 * @module
 */
import type { Config } from '../config/load-config.js'
import { loadSecret } from '../config/load-secret.js'
import { createKeyEncryption, type KeyEncryption } from '../tokens/keys/key-encryption.js'

/**
 * @example
 * const sealer = createTotpSecretSealer(config)
 * const sealed = sealer.encrypt(secret)
 */
export function createTotpSecretSealer(
  config: Pick<Config, 'dataDir' | 'keyEncryptionSecret'>,
): KeyEncryption {
  let encryption: KeyEncryption | undefined
  const open = () => {
    encryption ??= createKeyEncryption(
      loadSecret(config.dataDir, 'key-encryption', config.keyEncryptionSecret),
      'totp-secret',
    )
    return encryption
  }
  return {
    encrypt: (plaintext) => open().encrypt(plaintext),
    decrypt: (sealed) => open().decrypt(sealed),
  }
}
