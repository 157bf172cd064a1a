import type { Logger } from 'pino'
import type { AccountService } from '../accounts/account-service.js'
import type { SessionService } from '../sessions/session-service.js'

/** What the auth server's routes work with. */
export interface AuthDeps {
  readonly accounts: AccountService
  readonly sessions: SessionService
  readonly logger: Logger
  /** Largest JSON body, in bytes. */
  readonly bodyLimit: number
  /** `realm` of `WWW-Authenticate` challenges. */
  readonly realm: string
}
