/**
 * Assembles the auth server from its configuration: stores (migrated), keyring, password hasher,
 * token signer, services, the key-rotation timer and, outside production, the demo users.
 *
 * @module
 */
import type { Express } from 'express'
import type { Logger } from 'pino'
import { createAccountService } from '../accounts/account-service.js'
import type { Config } from '../config/load-config.js'
import { loadSecret } from '../config/load-secret.js'
import { DEMO_USERS } from '../demo/demo-data.js'
import { createPasswordHasher } from '../passwords/password-hasher.js'
import { createSessionService } from '../sessions/session-service.js'
import { createStores } from '../store/create-stores.js'
import { createAccessTokenSigner } from '../tokens/access-token-signer.js'
import { createKeyring } from '../tokens/keys/create-keyring.js'
import { scheduleKeyRotation } from '../tokens/keys/schedule-key-rotation.js'
import { createRefreshTokens } from '../tokens/refresh-tokens.js'
import { createAuthApp } from './app.js'

export interface BuiltServer {
  readonly app: Express
  /** Stops timers and releases what the app holds (database connections). */
  close(): Promise<void>
}

/**
 * @example
 * const { app, close } = await buildAuthServer(loadConfig(process.env), logger)
 */
export async function buildAuthServer(config: Config, logger: Logger): Promise<BuiltServer> {
  const refreshSecret = loadSecret(config.dataDir, 'refresh-token', config.refreshTokenSecret)
  const stores = await createStores(config.databaseUrl)
  const keyring = createKeyring(config, stores.keys)
  await keyring.ensureCurrent()
  const accounts = createAccountService({
    users: stores.users,
    passwords: await createPasswordHasher(),
  })
  const sessions = createSessionService({
    sessions: stores.sessions,
    signer: createAccessTokenSigner({
      keyring,
      issuer: config.issuer,
      audience: config.audience,
      ttl: config.accessTokenTtl,
    }),
    refreshTokens: createRefreshTokens(refreshSecret),
    absoluteTtl: config.refreshAbsoluteTtl,
  })
  if (config.demoData) {
    for (const { id, username, password } of DEMO_USERS) {
      await accounts.ensure({ username, password }, { id })
    }
  }
  const rotation =
    keyring.mode === 'asymmetric' && config.keyRotationInterval
      ? scheduleKeyRotation({
          keys: stores.keys,
          keyring,
          interval: config.keyRotationInterval,
          logger,
        })
      : undefined
  const app = createAuthApp({
    accounts,
    sessions,
    keyring,
    issuer: config.issuer,
    signingAlg: config.accessTokenAlg,
    logger,
    bodyLimit: config.bodyLimit,
    realm: 'gatehouse',
  })
  return {
    app,
    async close() {
      rotation?.stop()
      await stores.close()
    },
  }
}
