/**
 * Reads what the server needs from a WebAuthn response before verifying it: the challenge in
 * `clientDataJSON` (to redeem the single-use secret it must be), the credential id, and the
 * `userHandle` of an assertion. Anything that is not the expected shape is `undefined`: the
 * ceremony fails as one, without saying which part was wrong.
 *
 * @module
 */

/** base64url without padding, as WebAuthn JSON encodes bytes. */
const BASE64URL = /^[A-Za-z0-9_-]+$/

export interface CredentialFields {
  readonly id: string
  /** The `challenge` of `clientDataJSON`, base64url: the single-use secret the options held. */
  readonly challenge: string
  /** An assertion's `userHandle` decoded (the account id given at registration); absent: none. */
  readonly userHandle: string | undefined
}

/**
 * @example
 * const fields = readCredential(req.body.response)
 * if (fields) await secrets.redeem('webauthn-login', fields.challenge)
 */
export function readCredential(response: unknown): CredentialFields | undefined {
  if (!isRecord(response) || !isRecord(response.response)) return undefined
  const { id } = response
  const { clientDataJSON, userHandle } = response.response
  if (typeof id !== 'string' || !BASE64URL.test(id)) return undefined
  if (typeof clientDataJSON !== 'string' || !BASE64URL.test(clientDataJSON)) return undefined
  let clientData: unknown
  try {
    clientData = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!isRecord(clientData) || typeof clientData.challenge !== 'string') return undefined
  // A credential that is not discoverable may answer `null`: no handle, refused by the caller.
  const handle = userHandle ?? undefined
  if (handle !== undefined && (typeof handle !== 'string' || !BASE64URL.test(handle))) {
    return undefined
  }
  return {
    id,
    challenge: clientData.challenge,
    userHandle:
      handle === undefined ? undefined : Buffer.from(handle, 'base64url').toString('utf8'),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
