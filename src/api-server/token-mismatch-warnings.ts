/**
 * Why an API server refuses every token, said once in its log: a token signed with another
 * algorithm than this server accepts (one server in tutorial mode, the other not), a token from
 * another issuer (`TOKEN_ISSUER` or the auth URL differ), or, in tutorial mode, a signature that
 * does not verify with this server's `ACCESS_TOKEN_SECRET`. Each reason is logged the first time
 * only, so a flood of bad tokens cannot flood the log.
 *
 * @module
 */
import { decodeJwt, decodeProtectedHeader, errors } from 'jose'
import type { Logger } from 'pino'
import type { GatehouseError } from '../errors/index.js'

export interface TokenMismatchConfig {
  /** The algorithms this server accepts. */
  readonly algorithms: readonly string[]
  /** The issuer it expects. */
  readonly issuer: string
  /** Whether it verifies with `ACCESS_TOKEN_SECRET` (tutorial mode). */
  readonly tutorialMode: boolean
  readonly logger: Logger
}

/**
 * @returns the `onTokenRefused` callback of `requireAuth`.
 * @example
 * requireAuth({ ...options, onTokenRefused: createTokenMismatchWarnings({ algorithms, issuer, tutorialMode, logger }) })
 */
export function createTokenMismatchWarnings(
  config: TokenMismatchConfig,
): (token: string, error: GatehouseError) => void {
  const warned = new Set<string>()
  const warnOnce = (reason: string, fields: Record<string, unknown>, message: string) => {
    if (warned.has(reason)) return
    warned.add(reason)
    config.logger.warn({ reason, ...fields }, message)
  }
  return function warnOnMismatch(token, error) {
    if (error.code !== 'ERR_TOKEN_INVALID') return
    let alg: unknown
    let iss: unknown
    try {
      alg = decodeProtectedHeader(token).alg
      iss = decodeJwt(token).iss
    } catch {
      return
    }
    if (typeof alg === 'string' && !config.algorithms.includes(alg)) {
      warnOnce(
        'alg',
        { tokenAlg: alg, accepted: config.algorithms },
        `access tokens refused: they are signed with ${alg}, but this API server accepts only ${config.algorithms.join(', ')}; ${
          alg.startsWith('HS')
            ? 'the auth server runs in tutorial mode: give this server the same ACCESS_TOKEN_SECRET'
            : config.tutorialMode
              ? 'the auth server signs with its keys: unset ACCESS_TOKEN_SECRET here, or set the same one on the auth server'
              : 'set ACCESS_TOKEN_ALG to the same value on both servers'
        }`,
      )
      return
    }
    if (typeof iss === 'string' && iss !== config.issuer) {
      warnOnce(
        'iss',
        { tokenIssuer: iss, expectedIssuer: config.issuer },
        `access tokens refused: their issuer is ${iss}, but this API server expects ${config.issuer}; set TOKEN_ISSUER to the same value on both servers, or unset it here to read it from AUTH_SERVER_URL`,
      )
      return
    }
    if (config.tutorialMode && error.cause instanceof errors.JWSSignatureVerificationFailed) {
      warnOnce(
        'secret',
        { issuer: iss },
        `access tokens refused: their signature does not verify with this server's ACCESS_TOKEN_SECRET; set the auth server's ACCESS_TOKEN_SECRET here`,
      )
    }
  }
}
