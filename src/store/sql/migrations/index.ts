import type { Migration } from 'kysely'
import * as usersAndSessions from './0001-users-and-sessions.js'
import * as signingKeys from './0002-signing-keys.js'
import * as rotationAndRevocations from './0003-rotation-and-revocations.js'
import * as signingKeyActivation from './0004-signing-key-activation.js'
import * as revocationLogIdentity from './0005-revocation-log-identity.js'
import * as senderBoundRefresh from './0006-sender-bound-refresh.js'
import * as userScopes from './0007-user-scopes.js'
import * as usernameSkeletons from './0008-username-skeletons.js'
import * as auditEvents from './0009-audit-events.js'
import * as userDisabled from './0010-user-disabled.js'
import * as oneTimeSecrets from './0011-one-time-secrets.js'
import * as userEmail from './0012-user-email.js'
import * as totpFactors from './0013-totp-factors.js'
import * as webauthnCredentials from './0014-webauthn-credentials.js'
import * as oneStatementRotation from './0015-one-statement-rotation.js'
import * as tokensNameTheirSession from './0016-tokens-name-their-session.js'

/** The auth database's migrations, applied in name order. Shipped entries never change. */
export const AUTH_MIGRATIONS: Record<string, Migration> = {
  '0001-users-and-sessions': usersAndSessions,
  '0002-signing-keys': signingKeys,
  '0003-rotation-and-revocations': rotationAndRevocations,
  '0004-signing-key-activation': signingKeyActivation,
  '0005-revocation-log-identity': revocationLogIdentity,
  '0006-sender-bound-refresh': senderBoundRefresh,
  '0007-user-scopes': userScopes,
  '0008-username-skeletons': usernameSkeletons,
  '0009-audit-events': auditEvents,
  '0010-user-disabled': userDisabled,
  '0011-one-time-secrets': oneTimeSecrets,
  '0013-totp-factors': totpFactors,
  '0014-webauthn-credentials': webauthnCredentials,
  '0012-user-email': userEmail,
  '0015-one-statement-rotation': oneStatementRotation,
  '0016-tokens-name-their-session': tokensNameTheirSession,
}
