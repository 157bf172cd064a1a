import type { Config } from '../../config/load-config.js'
import { loadSecret } from '../../config/load-secret.js'
import type { KeyStore } from '../../store/types.js'
import { createKeyEncryption } from './key-encryption.js'
import { createAsymmetricKeyring, createSecretKeyring, type Keyring } from './keyring.js'

/**
 * The keyring the configuration asks for: tutorial mode (HS256) when `ACCESS_TOKEN_SECRET` is
 * set, otherwise `ACCESS_TOKEN_ALG` keys from the store.
 *
 * @example
 * const keyring = createKeyring(config, stores.keys)
 */
export function createKeyring(config: Config, keys: KeyStore): Keyring {
  if (config.accessTokenSecret !== undefined) return createSecretKeyring(config.accessTokenSecret)
  const secret = loadSecret(config.dataDir, 'key-encryption', config.keyEncryptionSecret)
  return createAsymmetricKeyring({
    keys,
    encryption: createKeyEncryption(secret),
    alg: config.accessTokenAlg,
    overlap: config.accessTokenTtl + config.clockTolerance,
  })
}
