/**
 * The passkey routes of the auth server's contract (`auth-document.ts` appends them): registering
 * a passkey while signed in, listing and removing them, and signing in with one. The WebAuthn
 * JSON is documented as open objects (`passkeys/passkey-schemas.ts`), as the browser library
 * produces and consumes it.
 *
 * @module
 */
import { z } from 'zod'
import type { ZodOpenApiResponseObject } from 'zod-openapi'
import type { ErrorCode } from '../errors/codes.js'
import {
  creationOptionsJSON,
  passkeyDescription,
  passkeyLoginBody,
  passkeyRegistrationBody,
  requestOptionsJSON,
} from '../passkeys/passkey-schemas.js'
import type { RouteEntry } from './build-document.js'
import { ACCESS_TOKEN_ERRORS, BODY_ERRORS } from './error-responses.js'
import { cacheControlHeader, tokenRequestHeaders } from './headers.js'

const STORE: readonly ErrorCode[] = ['ERR_STORE_UNAVAILABLE']
const noStoreHeaders = z.object({ 'Cache-Control': cacheControlHeader })

export const passkeysTag = {
  name: 'passkeys',
  description: 'Registering passkeys (WebAuthn) and signing in with them.',
}

/**
 * @param tokensResponse The 200 of every sign-in route (either transport), from the document.
 */
export function passkeyRoutes(tokensResponse: ZodOpenApiResponseObject): RouteEntry[] {
  return [
    {
      method: 'post',
      path: '/passkeys/registration/options',
      operationId: 'passkeyRegistrationOptions',
      tag: 'passkeys',
      summary: 'Begin registering a passkey',
      description:
        'Creation options for `startRegistration()`: a discoverable credential (resident key) with user verification, bound to `WEBAUTHN_RP_ID`, none of the caller’s passkeys again (`excludeCredentials`), no attestation. The challenge is single-use, lives 5 minutes, and voids the caller’s previous one. See passkeys.md.',
      security: ['accessToken'],
      responses: {
        '200': {
          description: 'The options.',
          headers: noStoreHeaders,
          content: { 'application/json': { schema: creationOptionsJSON } },
        },
      },
      errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
    },
    {
      method: 'post',
      path: '/passkeys/registration',
      operationId: 'registerPasskey',
      tag: 'passkeys',
      summary: 'Finish registering a passkey',
      description:
        '`response` is what `startRegistration()` returned. It must answer the caller’s outstanding challenge (redeemed once), come from one of `WEBAUTHN_ORIGINS`, name `WEBAUTHN_RP_ID` and carry user verification; otherwise 400 `ERR_PASSKEY_REGISTRATION_INVALID` (one code; the audit log’s `passkey.failed` says why). 201 with the passkey (never its public key); audited as `passkey.added`.',
      security: ['accessToken'],
      body: passkeyRegistrationBody,
      responses: {
        '201': {
          description: 'The new passkey.',
          headers: noStoreHeaders,
          content: { 'application/json': { schema: passkeyDescription } },
        },
      },
      errors: [
        ...ACCESS_TOKEN_ERRORS,
        ...BODY_ERRORS,
        'ERR_PASSKEY_REGISTRATION_INVALID',
        ...STORE,
      ],
    },
    {
      method: 'get',
      path: '/passkeys',
      operationId: 'listPasskeys',
      tag: 'passkeys',
      summary: 'The user’s passkeys',
      description: 'Oldest first, times in ISO 8601; no public keys.',
      security: ['accessToken'],
      responses: {
        '200': {
          description: 'Their passkeys.',
          headers: noStoreHeaders,
          content: { 'application/json': { schema: z.array(passkeyDescription) } },
        },
      },
      errors: [...ACCESS_TOKEN_ERRORS, ...STORE],
    },
    {
      method: 'delete',
      path: '/passkeys/{id}',
      operationId: 'removePasskey',
      tag: 'passkeys',
      summary: 'Remove one of the user’s passkeys',
      description:
        '204 for a passkey of the caller (audited as `passkey.removed`); 404 for one that does not exist or is someone else’s, so no one learns it exists. Sessions opened with it stay open.',
      security: ['accessToken'],
      pathParams: z.object({ id: z.string().meta({ description: 'The credential id.' }) }),
      responses: { '204': { description: 'Removed.' } },
      errors: [...ACCESS_TOKEN_ERRORS, 'ERR_NOT_FOUND', ...STORE],
    },
    {
      method: 'post',
      path: '/login/passkey/options',
      operationId: 'passkeyLoginOptions',
      tag: 'passkeys',
      summary: 'Begin signing in with a passkey',
      description:
        'Request options for `startAuthentication()`, for anyone: no `allowCredentials` (the authenticator offers its discoverable credentials, so no username), user verification required. Each answer stores a single-use challenge (3 minutes): 429 past `RATE_LIMIT_PASSKEY_OPTIONS_IP` (30 a minute from one address by default).',
      responses: {
        '200': {
          description: 'The options.',
          headers: noStoreHeaders,
          content: { 'application/json': { schema: requestOptionsJSON } },
        },
      },
      errors: [...BODY_ERRORS, 'ERR_RATE_LIMITED', ...STORE],
    },
    {
      method: 'post',
      path: '/login/passkey',
      operationId: 'passkeyLogin',
      tag: 'passkeys',
      summary: 'Sign in with a passkey',
      description:
        '`response` is what `startAuthentication()` returned. Opens a session and answers tokens as `POST /login` does (`Gatehouse-Transport: cookie` for browsers); no second factor is asked for (the passkey verified the user). 401 `ERR_PASSKEY_INVALID` for every refusal alike: a malformed or forged response, a used or expired challenge, an unknown credential or a `userHandle` that is not its owner, another origin or RP ID, no user verification, a signature counter that did not advance (audited as a possibly cloned authenticator), a disabled account. Each attempt takes a point of `RATE_LIMIT_LOGIN_IP` (429).',
      headers: tokenRequestHeaders,
      body: passkeyLoginBody,
      responses: { '200': tokensResponse },
      errors: [
        ...BODY_ERRORS,
        'ERR_DPOP_PROOF_INVALID',
        'ERR_DPOP_PROOF_REPLAYED',
        'ERR_PASSKEY_INVALID',
        'ERR_CSRF_REJECTED',
        'ERR_RATE_LIMITED',
        ...STORE,
      ],
    },
  ]
}
