import type { RequestHandler } from 'express'
import { auditRequest } from '../../audit/request-context.js'
import { GatehouseError } from '../../errors/index.js'
import { noStore } from '../../http/no-store.js'
import { validateBody } from '../../http/validate-body.js'
import { PasskeyRefused } from '../../passkeys/passkey-refused.js'
import { passkeyRegistrationBody } from '../../passkeys/passkey-schemas.js'
import type { StoredPasskey } from '../../passkeys/passkey-store.js'
import { recordPasskeyRefusal } from '../../passkeys/record-refusal.js'
import type { AuthDeps } from '../deps.js'
import { requireSession } from '../middleware/require-session.js'
import { caller } from './sessions.js'

/**
 * `POST /passkeys/registration/options` (Bearer access token) → 200, WebAuthn creation options
 * for `startRegistration`: a discoverable credential with user verification, none of the
 * caller's passkeys again, no attestation; the challenge is single-use and lives 5 minutes.
 */
export function passkeyRegistrationOptionsRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function sendCreationOptions(req, res) {
      res.json(await deps.passkeys.registrationOptions(caller(req)))
    },
  ]
}

/**
 * `POST /passkeys/registration {response, name?}` (Bearer access token) → 201 the new passkey;
 * 400 `ERR_PASSKEY_REGISTRATION_INVALID` for a response that does not verify (the audit log says
 * why).
 */
export function passkeyRegistrationRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    validateBody(passkeyRegistrationBody),
    async function registerPasskey(req, res) {
      const userId = caller(req).id
      const passkey = await deps.passkeys
        .register(userId, req.body.response, req.body.name)
        .catch(async (error: unknown) => {
          if (error instanceof PasskeyRefused) {
            await recordPasskeyRefusal(deps, req, res, 'registration', error)
          }
          throw error
        })
      await deps.audit.record({
        event: 'passkey.added',
        actor: 'user',
        userId,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
        detail: { credentialId: passkey.id, name: passkey.name },
      })
      res.status(201).json(describePasskey(passkey))
    },
  ]
}

/** `GET /passkeys` (Bearer access token) → 200, the caller's passkeys, oldest first. */
export function listPasskeysRoute(deps: AuthDeps): RequestHandler[] {
  return [
    noStore,
    requireSession(deps),
    async function listOwnPasskeys(req, res) {
      res.json((await deps.passkeys.list(caller(req).id)).map(describePasskey))
    },
  ]
}

/** `DELETE /passkeys/:id` (Bearer access token) → 204 for the caller's own, 404 otherwise. */
export function removePasskeyRoute(deps: AuthDeps): RequestHandler[] {
  return [
    requireSession(deps),
    async function removeOwnPasskey(req, res) {
      const userId = caller(req).id
      const id = String(req.params.id ?? '')
      if (!(await deps.passkeys.remove(userId, id))) throw new GatehouseError('ERR_NOT_FOUND')
      await deps.audit.record({
        event: 'passkey.removed',
        actor: 'user',
        userId,
        sessionId: req.gatehouse?.claims.sid ?? null,
        request: auditRequest(req, res),
        detail: { credentialId: id },
      })
      res.sendStatus(204)
    },
  ]
}

/** What a user sees of a passkey: never its public key. */
function describePasskey(passkey: StoredPasskey) {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: iso(passkey.createdAt),
    lastUsedAt: passkey.lastUsedAt === null ? null : iso(passkey.lastUsedAt),
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
    transports: passkey.transports,
  }
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
