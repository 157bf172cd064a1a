/**
 * Request and response bodies of the passkey routes. The WebAuthn JSON itself (what
 * `@simplewebauthn/browser`'s `startRegistration` / `startAuthentication` return) is taken as an
 * object and checked by the ceremony, not by the schema: a malformed credential is a failed
 * ceremony (401 / 400 with the passkey code), never a hint of which part was wrong.
 *
 * @module
 */
import { z } from 'zod'

export const MAX_PASSKEY_NAME_LENGTH = 64

const registrationResponseJSON = z.looseObject({}).meta({
  id: 'RegistrationResponseJSON',
  description:
    'What `startRegistration()` of `@simplewebauthn/browser` returns (WebAuthn `PublicKeyCredential.toJSON()`): `id`, `rawId`, `type: "public-key"`, `response` `{clientDataJSON, attestationObject, transports}` (base64url), `clientExtensionResults`.',
})

const authenticationResponseJSON = z.looseObject({}).meta({
  id: 'AuthenticationResponseJSON',
  description:
    'What `startAuthentication()` of `@simplewebauthn/browser` returns: `id`, `rawId`, `type: "public-key"`, `response` `{clientDataJSON, authenticatorData, signature, userHandle}` (base64url), `clientExtensionResults`.',
})

/** `POST /passkeys/registration`. */
export const passkeyRegistrationBody = z.strictObject({
  response: registrationResponseJSON,
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_PASSKEY_NAME_LENGTH, `must be at most ${MAX_PASSKEY_NAME_LENGTH} characters`)
    .refine((name) => !/[\p{C}\p{Zl}\p{Zp}]/u.test(name), 'must not contain control characters')
    .optional()
    .meta({ description: 'A label for the passkey; "Passkey" when omitted.' }),
})

/** `POST /login/passkey`. */
export const passkeyLoginBody = z.strictObject({ response: authenticationResponseJSON })

/** One passkey as its user sees it: never the public key. */
export const passkeyDescription = z
  .strictObject({
    id: z.string().meta({ description: 'The credential id (base64url).' }),
    name: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    deviceType: z.enum(['singleDevice', 'multiDevice']),
    backedUp: z.boolean(),
    transports: z.array(z.string()),
  })
  .meta({ id: 'Passkey' })

export const creationOptionsJSON = z.looseObject({}).meta({
  id: 'PublicKeyCredentialCreationOptionsJSON',
  description:
    'For `startRegistration({ optionsJSON })`: `rp` `{id, name}`, `user` `{id, name, displayName}`, `challenge` (base64url, single use, 5 minutes), `pubKeyCredParams`, `timeout`, `attestation: "none"`, `excludeCredentials` (the user’s passkeys), `authenticatorSelection` `{residentKey: "required", requireResidentKey: true, userVerification: "required"}`.',
})

export const requestOptionsJSON = z.looseObject({}).meta({
  id: 'PublicKeyCredentialRequestOptionsJSON',
  description:
    'For `startAuthentication({ optionsJSON })`: `rpId`, `challenge` (base64url, single use, 3 minutes), `timeout`, `userVerification: "required"`, and no `allowCredentials` (discoverable credentials: no username).',
})
