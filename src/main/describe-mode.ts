/**
 * What both servers' start-up lines say about tokens (mode, algorithm, issuer, audience,
 * lifetime), so that an auth server and an API server set up differently show it side by side,
 * and about demo data.
 *
 * @module
 */
import type { Config } from '../config/load-config.js'
import { formatDuration } from '../lib/duration.js'

/**
 * @param issuer The issuer tokens carry; `undefined` while the API server has not read it yet.
 * @example
 * logger.info(describeMode(config), `listening: ${describeMode(config).summary}`)
 */
export function describeMode(config: Config, issuer: string | undefined = config.issuer) {
  const tutorial = config.accessTokenSecret !== undefined
  const alg = tutorial ? 'HS256' : config.accessTokenAlg
  const summary = [
    tutorial ? 'tutorial mode (HS256 with ACCESS_TOKEN_SECRET)' : `signing keys (${alg})`,
    `issuer ${issuer ?? 'read from AUTH_SERVER_URL once it answers'}`,
    `audience ${config.audience}`,
    `access tokens live ${formatDuration(config.accessTokenTtl)}`,
  ].join(', ')
  return {
    mode: tutorial ? 'tutorial' : 'keys',
    alg,
    issuer,
    audience: config.audience,
    accessTokenTtl: config.accessTokenTtl,
    summary,
  }
}

/**
 * Appended to both start-up lines while demo data is on.
 *
 * @example
 * logger.info(`auth server listening on port ${port}${demoNote(config)}`)
 */
export function demoNote(config: Config): string {
  return config.demoData
    ? ' (demo data on: users Jane and John, password "abcd" - development only)'
    : ''
}
