/**
 * Who passkeys are bound to: the WebAuthn relying party (RP) — its ID (a domain name, never an IP
 * address), the name browsers show, and the page origins a ceremony may come from. Unset, they
 * follow `CORS_ORIGINS` (so the demo app of `npm start` works as `localhost`): the ID is the host
 * of the first origin that is not an IP address (else `localhost`), and the origins are those
 * whose host is the ID or a subdomain of it. Pure functions, so that the configuration checks the
 * settings at start-up and the server fills in the defaults from the origins it really admits.
 *
 * @module
 */
import { isIP } from 'node:net'
import { DEFAULTS } from '../config/defaults.js'
import type { WebAuthnSettings } from '../config/load-config.js'

/** The relying party every ceremony is checked against. */
export interface RelyingParty {
  /** `rp.id` of the options, and what the authenticator data's `rpIdHash` must hash. */
  readonly id: string
  /** Shown by the browser when a passkey is created. */
  readonly name: string
  /** The `origin` a response's `clientDataJSON` may name; empty: every ceremony fails. */
  readonly origins: readonly string[]
}

/**
 * @example
 * defaultRelyingPartyId(['http://127.0.0.1:8080', 'http://localhost:8080']) // 'localhost'
 */
export function defaultRelyingPartyId(corsOrigins: readonly string[]): string {
  for (const origin of corsOrigins) {
    const host = new URL(origin).hostname
    if (isIP(host.replace(/^\[|\]$/g, '')) === 0) return host
  }
  return DEFAULTS.webauthnRpId
}

/** Whether `origin`'s host is `rpId` or a subdomain of it (what WebAuthn allows). */
export function isOriginOf(rpId: string, origin: string): boolean {
  const host = new URL(origin).hostname
  return host === rpId || host.endsWith(`.${rpId}`)
}

/**
 * The origins of `origins` that `rpId` cannot serve.
 *
 * @example
 * originsOutside('example.com', ['https://app.example.com', 'https://evil.test']) // ['https://evil.test']
 */
export function originsOutside(rpId: string, origins: readonly string[]): string[] {
  return origins.filter((origin) => !isOriginOf(rpId, origin))
}

/**
 * The relying party of a server admitting `corsOrigins` (after the demo app's are added).
 *
 * @example
 * resolveRelyingParty({ rpId: undefined, rpName: 'Gatehouse', origins: undefined }, ['http://localhost:8080'])
 * // { id: 'localhost', name: 'Gatehouse', origins: ['http://localhost:8080'] }
 */
export function resolveRelyingParty(
  settings: WebAuthnSettings,
  corsOrigins: readonly string[],
): RelyingParty {
  const id = settings.rpId ?? defaultRelyingPartyId(corsOrigins)
  const origins = settings.origins ?? corsOrigins.filter((origin) => isOriginOf(id, origin))
  return Object.freeze({ id, name: settings.rpName, origins: Object.freeze([...origins]) })
}
