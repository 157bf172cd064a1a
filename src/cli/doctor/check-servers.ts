/**
 * An auth server and an API server set up differently: one in tutorial mode (a shared
 * `ACCESS_TOKEN_SECRET`) and the other verifying against the JWKS, two different secrets,
 * issuers, audiences or feed tokens. Each mismatch makes the API server refuse every token (or
 * the feed), so each is an error.
 *
 * @module
 */
import type { Config } from '../../config/load-config.js'
import { timingSafeEqualStrings as same } from '../../lib/timing-safe.js'
import type { Finding } from './finding.js'

/**
 * @param auth The auth server's settings.
 * @param api The API server's.
 * @example
 * checkServers(loadConfig(authEnv), loadConfig(apiEnv))
 */
export function checkServers(auth: Config, api: Config): Finding[] {
  const findings: Finding[] = []
  const authSecret = auth.accessTokenSecret
  const apiSecret = api.accessTokenSecret
  if ((authSecret === undefined) !== (apiSecret === undefined)) {
    findings.push({
      level: 'error',
      setting: 'ACCESS_TOKEN_SECRET',
      message:
        authSecret === undefined
          ? 'is set for the API server only: it verifies HS256 with it while the auth server signs with its keys; unset it for the API server, or set the same on both'
          : 'is set for the auth server only: it signs HS256 with it while the API server looks for keys in the JWKS; give the API server the same ACCESS_TOKEN_SECRET, or unset it on both',
    })
  } else if (authSecret !== undefined && apiSecret !== undefined && !same(authSecret, apiSecret)) {
    findings.push({
      level: 'error',
      setting: 'ACCESS_TOKEN_SECRET',
      message:
        'differs between the auth server and the API server: the API server refuses every token; set the same value on both',
    })
  }
  // The API server checks `iss` against its TOKEN_ISSUER, or, when that is unset, against the
  // issuer the auth server's discovery document names: only an explicit value can disagree.
  const apiIssuer = api.tokenIssuer
  if (apiIssuer !== undefined && apiIssuer !== auth.issuer) {
    findings.push({
      level: 'error',
      setting: 'TOKEN_ISSUER',
      message: `is ${auth.issuer} for the auth server but ${apiIssuer} for the API server, which refuses every token; set the same on both, or unset it for the API server to read it from AUTH_SERVER_URL`,
    })
  }
  if (authSecret === undefined && api.accessTokenAlg !== auth.accessTokenAlg) {
    findings.push({
      level: 'error',
      setting: 'ACCESS_TOKEN_ALG',
      message: `is ${auth.accessTokenAlg} for the auth server but ${api.accessTokenAlg} for the API server, which accepts only that; set the same on both`,
    })
  }
  if (api.audience !== auth.audience) {
    findings.push({
      level: 'error',
      setting: 'TOKEN_AUDIENCE',
      message: `is ${auth.audience} for the auth server but ${api.audience} for the API server, which refuses every token; set the same on both`,
    })
  }
  const authFeed = auth.revocationFeedToken
  const apiFeed = api.revocationFeedToken
  const feedDiffers =
    authFeed === undefined || apiFeed === undefined
      ? authFeed !== apiFeed
      : !same(authFeed, apiFeed)
  if (api.revocationFeed && feedDiffers) {
    findings.push({
      level: 'error',
      setting: 'REVOCATION_FEED_TOKEN',
      message:
        'differs between the auth server and the API server (or is set on one only): the feed is refused and revocations do not reach the API server; set the same on both',
    })
  }
  return findings
}
