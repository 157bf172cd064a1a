/**
 * Passkeys (WebAuthn) with `@simplewebauthn/server`: the options of a registration and of a
 * sign-in, and the two verifications. Every challenge is a single-use secret of
 * `accounts/one-time-secrets.ts` (registration: 5 minutes, bound to the account; sign-in: 3
 * minutes, bound to no one), redeemed from the response's own `clientDataJSON` before anything
 * else is checked, so a response is tried once whatever its fate. Verification requires user
 * verification, this server's RP ID and one of its origins; a sign-in also requires the
 * credential's `userHandle` to be its owner and its signature counter to move forward.
 *
 * @module
 */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'
import { isDisabled } from '../accounts/account-service.js'
import type { OneTimeSecrets } from '../accounts/one-time-secrets.js'
import { DEFAULTS } from '../config/defaults.js'
import { isGatehouseError } from '../errors/index.js'
import { nowSeconds } from '../lib/time.js'
import type { User, UserStore } from '../store/types.js'
import { PasskeyRefused, reasonOf } from './passkey-refused.js'
import type { PasskeyStore, StoredPasskey } from './passkey-store.js'
import { readCredential } from './read-credential.js'
import type { RelyingParty } from './relying-party.js'

export interface PasskeyServiceConfig {
  readonly passkeys: PasskeyStore
  readonly users: UserStore
  readonly secrets: OneTimeSecrets
  readonly relyingParty: RelyingParty
}

export interface PasskeyService {
  /** Creation options for `user`; voids any registration challenge they still held. */
  registrationOptions(user: {
    id: string
    name: string
  }): Promise<PublicKeyCredentialCreationOptionsJSON>
  /** Verifies and stores a new passkey of `userId`; throws `PasskeyRefused` otherwise. */
  register(userId: string, response: unknown, name: string | undefined): Promise<StoredPasskey>
  /** Request options for a sign-in with a discoverable credential (no username). */
  loginOptions(): Promise<PublicKeyCredentialRequestOptionsJSON>
  /**
   * Verifies a sign-in and records its counter; throws `PasskeyRefused` (with the reason and,
   * when the credential is known, its owner) otherwise.
   */
  authenticate(response: unknown): Promise<{ user: User; passkey: StoredPasskey }>
  /** The user's passkeys, oldest first. */
  list(userId: string): Promise<StoredPasskey[]>
  /** Removes one passkey of `userId` only; whether there was one. */
  remove(userId: string, id: string): Promise<boolean>
}

/**
 * `@simplewebauthn/server` is loaded at the first ceremony, not at start-up: it costs more to
 * load than the rest of the auth server's start (see docs/operations.md, "Start").
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined
const webauthn = () => {
  library ??= import('@simplewebauthn/server')
  return library
}

/** The label of a passkey registered without a name. */
const DEFAULT_NAME = 'Passkey'

/**
 * @example
 * const passkeys = createPasskeyService({ passkeys: stores.passkeys, users: stores.users, secrets, relyingParty })
 * const options = await passkeys.loginOptions()
 */
export function createPasskeyService(config: PasskeyServiceConfig): PasskeyService {
  const { passkeys, secrets, relyingParty } = config
  const expected = { expectedOrigin: [...relyingParty.origins], expectedRPID: relyingParty.id }
  return {
    async registrationOptions(user) {
      const existing = await passkeys.list(user.id)
      // One registration at a time per account: a new one voids the last (bounded rows).
      await secrets.voidAll(user.id, 'webauthn-registration')
      const ttl = DEFAULTS.passkeyRegistrationTtl
      const { secret } = await secrets.issue('webauthn-registration', { userId: user.id, ttl })
      return (await webauthn()).generateRegistrationOptions({
        rpName: relyingParty.name,
        rpID: relyingParty.id,
        userName: user.name,
        userID: new TextEncoder().encode(user.id),
        challenge: challengeBytes(secret),
        timeout: ttl * 1000,
        attestationType: 'none',
        excludeCredentials: existing.map(({ id, transports }) => ({
          id,
          transports: [...transports],
        })),
        authenticatorSelection: {
          residentKey: 'required',
          requireResidentKey: true,
          userVerification: 'required',
        },
      })
    },

    async register(userId, response, name) {
      const fields = readCredential(response)
      if (!fields) throw new PasskeyRefused('registration', 'malformed', { userId })
      const issued = await secrets.redeem('webauthn-registration', fields.challenge)
      if (issued?.userId !== userId) {
        throw new PasskeyRefused('registration', 'challenge', { userId })
      }
      const verification = await (await webauthn())
        .verifyRegistrationResponse({
          response: response as RegistrationResponseJSON,
          expectedChallenge: fields.challenge,
          ...expected,
          requireUserVerification: true,
        })
        .catch((error: unknown) => {
          throw new PasskeyRefused('registration', reasonOf(error), { userId, cause: error })
        })
      if (!verification.verified) {
        throw new PasskeyRefused('registration', 'invalid-response', { userId })
      }
      if ((await passkeys.count(userId)) >= DEFAULTS.maxPasskeysPerUser) {
        throw new PasskeyRefused('registration', 'too-many', { userId })
      }
      const info = verification.registrationInfo
      const passkey: StoredPasskey = {
        id: info.credential.id,
        userId,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: name ?? DEFAULT_NAME,
        createdAt: nowSeconds(),
        lastUsedAt: null,
      }
      await passkeys.add(passkey).catch((error: unknown) => {
        if (isGatehouseError(error) && error.code === 'ERR_PASSKEY_REGISTRATION_INVALID') {
          throw new PasskeyRefused('registration', 'already-registered', { userId, cause: error })
        }
        throw error
      })
      return passkey
    },

    async loginOptions() {
      const ttl = DEFAULTS.passkeyLoginTtl
      const { secret } = await secrets.issue('webauthn-login', { ttl })
      return (await webauthn()).generateAuthenticationOptions({
        rpID: relyingParty.id,
        challenge: challengeBytes(secret),
        timeout: ttl * 1000,
        userVerification: 'required',
      })
    },

    async authenticate(response) {
      const fields = readCredential(response)
      if (!fields) throw new PasskeyRefused('login', 'malformed')
      const credentialId = fields.id
      if (!(await secrets.redeem('webauthn-login', fields.challenge))) {
        throw new PasskeyRefused('login', 'challenge', { credentialId })
      }
      const passkey = await passkeys.find(credentialId)
      if (!passkey) throw new PasskeyRefused('login', 'unknown-credential', { credentialId })
      const context = { userId: passkey.userId, credentialId }
      if (fields.userHandle !== passkey.userId) {
        throw new PasskeyRefused('login', 'user-handle', context)
      }
      const user = await config.users.findById(passkey.userId)
      if (!user) throw new PasskeyRefused('login', 'unknown-credential', context)
      if (isDisabled(user)) throw new PasskeyRefused('login', 'account-disabled', context)
      const verification = await (await webauthn())
        .verifyAuthenticationResponse({
          response: response as AuthenticationResponseJSON,
          expectedChallenge: fields.challenge,
          ...expected,
          // The counter is compared below, once the signature is known to be good: a counter
          // that goes backwards then means a copy of the key, not a forged response.
          credential: {
            id: passkey.id,
            publicKey: new Uint8Array(Buffer.from(passkey.publicKey, 'base64url')),
            counter: 0,
            transports: [...passkey.transports],
          },
          requireUserVerification: true,
        })
        .catch((error: unknown) => {
          throw new PasskeyRefused('login', reasonOf(error), { ...context, cause: error })
        })
      if (!verification.verified) throw new PasskeyRefused('login', 'signature', context)
      const counter = verification.authenticationInfo.newCounter
      const advanced = counter > passkey.counter || (counter === 0 && passkey.counter === 0)
      if (!advanced || !(await passkeys.recordUse(passkey.id, counter, nowSeconds()))) {
        throw new PasskeyRefused('login', 'counter', context)
      }
      return { user, passkey: { ...passkey, counter } }
    },

    list: (userId) => passkeys.list(userId),
    remove: (userId, id) => passkeys.remove(userId, id),
  }
}

/**
 * The bytes of a one-time secret (base64url of 32 random bytes) as the WebAuthn challenge, so
 * that `clientDataJSON.challenge` is the secret itself.
 */
function challengeBytes(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(secret, 'base64url'))
}
