/**
 * The challenge a password login answers instead of tokens when the account has a second factor:
 * a single-use secret (`mfa-challenge`, see `accounts/one-time-secrets.ts`) bound to the client
 * that proved the password — its transport, and the key of its DPoP proof when it sent one — so
 * that only the same client can finish the sign-in with `POST /login/mfa`.
 *
 * @module
 */

import { isDisabled } from '../accounts/account-service.js'
import type { OneTimeSecrets } from '../accounts/one-time-secrets.js'
import { GatehouseError } from '../errors/index.js'
import type { ClientInfo } from '../sessions/session-service.js'
import type { User, UserStore } from '../store/types.js'

/** The second factors a challenge may be answered with. */
export const MFA_METHODS = ['totp', 'recovery-code'] as const

/** What is kept with the challenge's hash. */
interface ChallengeDetail {
  readonly transport: ClientInfo['transport']
  readonly jkt: string | null
}

export interface MfaChallenges {
  /** A new challenge for `user`, valid for `ttl` seconds, answerable by `client` only. */
  issue(user: Pick<User, 'id'>, client: ClientInfo): Promise<string>
  /**
   * Uses `challenge` up and returns its user. 401 `ERR_MFA_CHALLENGE_INVALID` when it is
   * unknown, used, expired, from another transport or DPoP key, or its account is gone or
   * disabled. Of several concurrent callers, at most one gets the user.
   */
  redeem(challenge: string, client: ClientInfo): Promise<User>
}

/**
 * @param ttl Lifetime of a challenge, in seconds.
 * @example
 * const challenges = createMfaChallenges({ secrets: oneTimeSecrets, users: stores.users, ttl: 300 })
 */
export function createMfaChallenges(config: {
  readonly secrets: OneTimeSecrets
  readonly users: UserStore
  readonly ttl: number
}): MfaChallenges {
  const refused = () => new GatehouseError('ERR_MFA_CHALLENGE_INVALID')
  return {
    async issue(user, client) {
      const detail: ChallengeDetail = { transport: client.transport, jkt: client.dpopJkt ?? null }
      const issued = await config.secrets.issue('mfa-challenge', {
        userId: user.id,
        detail,
        ttl: config.ttl,
      })
      return issued.secret
    },

    async redeem(challenge, client) {
      // Used up first, whatever follows: a challenge presented by the wrong client is dead too.
      const found = await config.secrets.redeem('mfa-challenge', challenge)
      if (!found?.userId) throw refused()
      const detail = found.detail as ChallengeDetail
      if (detail.transport !== client.transport || detail.jkt !== (client.dpopJkt ?? null)) {
        throw refused()
      }
      const user = await config.users.findById(found.userId)
      if (!user || isDisabled(user)) throw refused()
      return user
    },
  }
}
