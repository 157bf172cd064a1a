/**
 * Cookie and CORS settings a browser rejects: a wildcard origin with credentials, plain-http
 * origins in production, and `SameSite=None` cookies (always `Secure` here) from an auth server
 * served over plain http.
 *
 * @module
 */
import { type Finding, type Settings, setting } from './finding.js'

/** Browsers treat these hosts as secure contexts even over http. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

function isPlainHttp(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' && !LOCAL_HOSTS.has(parsed.hostname)
  } catch {
    return false
  }
}

/**
 * @example
 * checkBrowser({ CORS_ORIGINS: '*' }) // [{ level: 'error', setting: 'CORS_ORIGINS', … }]
 */
export function checkBrowser(env: Settings): Finding[] {
  const findings: Finding[] = []
  const origins = (setting(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
  if (origins.includes('*')) {
    findings.push({
      level: 'error',
      setting: 'CORS_ORIGINS',
      message:
        'holds *: browsers refuse credentials (cookies, Authorization) with a wildcard origin, and the servers refuse to start; list the exact origins, such as https://app.example.com',
    })
  }
  if (setting(env, 'NODE_ENV') === 'production') {
    for (const origin of origins.filter(isPlainHttp)) {
      findings.push({
        level: 'error',
        setting: 'CORS_ORIGINS',
        message: `holds ${origin}: a page served over plain http gets no Secure cookie and its traffic can be read; serve it over https and list https://${origin.slice('http://'.length)}`,
      })
    }
  }
  if (setting(env, 'COOKIE_SAMESITE') === 'none') {
    for (const name of ['TOKEN_ISSUER', 'AUTH_SERVER_URL']) {
      const url = setting(env, name)
      if (url !== undefined && isPlainHttp(url)) {
        findings.push({
          level: 'error',
          setting: 'COOKIE_SAMESITE',
          message: `is none, so the refresh cookie is Secure, but ${name} is ${url}: browsers drop Secure cookies over plain http; serve the auth server over https or use COOKIE_SAMESITE=lax`,
        })
      }
    }
  }
  return findings
}
