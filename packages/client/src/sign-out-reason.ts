/**
 * Why a refused refresh signed the user out, from the refusal's code: a reused token (the
 * cookie's or the bearer transport's) means theft was suspected; a lifetime that ran out means
 * expired; any other 401/403 means the session was ended by someone.
 *
 * @module
 */
import type { SignOutReason } from './types.js'

/**
 * @example
 * reasonFor('ERR_SESSION_REUSED') // 'reuse'
 */
export function reasonFor(code: string): SignOutReason {
  if (code === 'ERR_SESSION_REUSED' || code === 'ERR_REFRESH_TOKEN_REUSED') return 'reuse'
  return code === 'ERR_SESSION_EXPIRED' ? 'expired' : 'revoked'
}
