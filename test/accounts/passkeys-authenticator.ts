/**
 * A software WebAuthn authenticator for the Node tests, on `node:crypto` (ES256, P-256): it
 * makes the same JSON a browser's `PublicKeyCredential.toJSON()` does — an attestation of format
 * `none` at registration, a signed assertion at sign-in — for any origin and RP ID, with the user
 * verified or not and whatever signature counter a test asks for. Chromium's virtual
 * authenticator covers the browser; this one lets a test forge what a browser never would.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { isoCBOR } from '@simplewebauthn/server/helpers'

const FLAG_USER_PRESENT = 0x01
const FLAG_USER_VERIFIED = 0x04
const FLAG_ATTESTED_CREDENTIAL = 0x40

export interface CeremonyOptions {
  /** The page's origin, as `clientDataJSON` names it. */
  readonly origin: string
  /** The RP ID whose hash the authenticator data carries; default: the options' own. */
  readonly rpId?: string
  /** Whether the user was verified (UV flag). @default true */
  readonly userVerified?: boolean
}

export interface SoftwareAuthenticator {
  /** The credential id, base64url. */
  readonly credentialId: string
  /** Answers `POST /passkeys/registration/options` as `startRegistration` would. */
  register(options: any, ceremony: CeremonyOptions): Record<string, unknown>
  /** Answers `POST /login/passkey/options` as `startAuthentication` would, at `counter`. */
  assert(options: any, ceremony: CeremonyOptions & { counter: number }): Record<string, unknown>
}

/**
 * A new credential for the user the registration options will name.
 *
 * @example
 * const key = createSoftwareAuthenticator()
 * const response = key.register(options, { origin: 'http://localhost:8123' })
 */
export function createSoftwareAuthenticator(): SoftwareAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const credentialId = randomBytes(16).toString('base64url')
  let userHandle: string | undefined
  return {
    credentialId,
    register(options, ceremony) {
      userHandle = options.user.id
      const clientDataJSON = clientData('webauthn.create', options.challenge, ceremony.origin)
      const idBytes = Buffer.from(credentialId, 'base64url')
      const attested = Buffer.concat([
        Buffer.alloc(16), // AAGUID: none
        Buffer.from([idBytes.length >> 8, idBytes.length & 0xff]),
        idBytes,
        Buffer.from(isoCBOR.encode(coseKey(publicKey))),
      ])
      const authData = authenticatorData(ceremony.rpId ?? options.rp.id, ceremony, 0, attested)
      const attestationObject = isoCBOR.encode(
        new Map<string, unknown>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', new Uint8Array(authData)],
        ]) as never,
      )
      return credentialJSON(credentialId, {
        clientDataJSON: clientDataJSON.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      })
    },
    assert(options, ceremony) {
      const clientDataJSON = clientData('webauthn.get', options.challenge, ceremony.origin)
      const authData = authenticatorData(ceremony.rpId ?? options.rpId, ceremony, ceremony.counter)
      const signed = Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()])
      return credentialJSON(credentialId, {
        clientDataJSON: clientDataJSON.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: sign('sha256', signed, privateKey).toString('base64url'),
        ...(userHandle !== undefined && { userHandle }),
      })
    },
  }
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
}

function authenticatorData(
  rpId: string,
  ceremony: CeremonyOptions,
  counter: number,
  attested?: Buffer,
): Buffer {
  let flags = FLAG_USER_PRESENT
  if (ceremony.userVerified !== false) flags |= FLAG_USER_VERIFIED
  if (attested) flags |= FLAG_ATTESTED_CREDENTIAL
  const count = Buffer.alloc(4)
  count.writeUInt32BE(counter)
  return Buffer.concat([
    createHash('sha256').update(rpId).digest(),
    Buffer.from([flags]),
    count,
    attested ?? Buffer.alloc(0),
  ])
}

/** The COSE_Key (RFC 9053) of a P-256 public key: kty EC2, alg ES256, crv P-256, x, y. */
function coseKey(publicKey: KeyObject): never {
  const jwk = publicKey.export({ format: 'jwk' })
  return new Map<number, unknown>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, new Uint8Array(Buffer.from(jwk.x as string, 'base64url'))],
    [-3, new Uint8Array(Buffer.from(jwk.y as string, 'base64url'))],
  ]) as never
}

function credentialJSON(id: string, response: Record<string, unknown>): Record<string, unknown> {
  return { id, rawId: id, type: 'public-key', response, clientExtensionResults: {} }
}
