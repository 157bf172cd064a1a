/**
 * `gatehouse doctor [--api-env FILE]`: checks a configuration without starting the servers, one
 * line per finding with what to change; exit 1 when any finding is an error. The checks are in
 * `../doctor/`, one module per kind.
 *
 * @module
 */
import fs from 'node:fs'
import { parseEnv } from 'node:util'
import { type Config, ConfigError, loadConfig } from '../../config/load-config.js'
import { loadDotEnv } from '../../config/load-dot-env.js'
import type { Command } from '../command.js'
import { checkBrowser } from '../doctor/check-browser.js'
import { checkDatabase } from '../doctor/check-database.js'
import { checkSecrets } from '../doctor/check-secrets.js'
import { checkServers } from '../doctor/check-servers.js'
import type { Finding, Settings } from '../doctor/finding.js'

export const doctor: Command = {
  name: 'doctor',
  synopsis: 'doctor [--api-env FILE]',
  summary: 'check the settings and databases without starting the servers',
  help: `usage: gatehouse doctor [--api-env FILE] [--json]

Checks the settings (the environment and .env, as the servers read them) without starting a
server, and prints one line per finding with what to change:

  - secrets shorter than 32 bytes or too plain (ACCESS_TOKEN_SECRET, REFRESH_TOKEN_SECRET,
    KEY_ENCRYPTION_SECRET, REVOCATION_FEED_TOKEN, METRICS_TOKEN), or left to be generated in
    production;
  - any setting the servers would refuse to start with;
  - cookie and CORS settings a browser rejects: a * origin, plain-http origins in production,
    COOKIE_SAMESITE=none (Secure cookies) with an auth server on plain http;
  - databases (DATABASE_URL, API_DATABASE_URL) this user cannot reach or write; nothing is
    created or migrated;
  - with --api-env FILE, the API server's settings (this environment with FILE's variables over
    it) against the auth server's: tutorial mode on one side only, secrets, ACCESS_TOKEN_ALG,
    TOKEN_ISSUER, TOKEN_AUDIENCE and REVOCATION_FEED_TOKEN that differ.

Exit code 1 when any finding is an error, 0 otherwise (warnings only, or none).

  gatehouse doctor
  gatehouse doctor --api-env /etc/gatehouse/api.env --json

  --json   { "findings": [{ "level", "setting", "message" }], "errors", "warnings" }
`,
  options: ['api-env'],
  opensDatabase: false,
  needsConfig: false,
  run: async ({ options }) => {
    const dotEnv = loadDotEnv()
    const authEnv: Settings = { ...process.env }
    const apiFile = options['api-env']
    const apiEnv = apiFile === undefined ? undefined : { ...authEnv, ...readEnvFile(apiFile) }
    const findings: Finding[] = []
    const auth = checkSettings(authEnv, findings, '')
    const api = apiEnv === undefined ? auth : checkSettings(apiEnv, findings, 'API server: ')
    if (auth && api && apiEnv !== undefined) findings.push(...checkServers(auth, api))
    if (auth)
      findings.push(...(await checkDatabase('DATABASE_URL', auth.databaseUrl, auth.databasePool)))
    if (api)
      findings.push(
        ...(await checkDatabase('API_DATABASE_URL', api.apiDatabaseUrl, api.databasePool)),
      )
    const errors = findings.filter((finding) => finding.level === 'error').length
    const warnings = findings.length - errors
    const read = [dotEnv, apiFile].filter((file) => file !== undefined).join(' and ')
    return {
      lines: [
        ...findings.map((f) => `${f.level.padEnd(7)}  ${f.setting}: ${f.message}`),
        findings.length === 0
          ? `doctor: no findings${read ? ` (settings from ${read} and the environment)` : ''}`
          : `doctor: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      ],
      json: { findings, errors, warnings },
      code: errors > 0 ? 1 : 0,
    }
  },
}

/** The variables of a `.env`-style file. */
function readEnvFile(file: string): Record<string, string> {
  try {
    return parseEnv(fs.readFileSync(file, 'utf8')) as Record<string, string>
  } catch (error) {
    throw new Error(
      `cannot read --api-env ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    )
  }
}

/**
 * The findings of the checks on raw settings, then the settings as the servers would load them
 * (without the variables already reported, so that each problem shows once); `undefined` when
 * they would not load.
 */
function checkSettings(env: Settings, findings: Finding[], prefix: string): Config | undefined {
  const own = [...checkSecrets(env), ...checkBrowser(env)]
  findings.push(...own.map((finding) => ({ ...finding, message: `${prefix}${finding.message}` })))
  const reported = new Set(own.filter((f) => f.level === 'error').map((f) => f.setting))
  const rest = Object.fromEntries(Object.entries(env).filter(([name]) => !reported.has(name)))
  try {
    const config = loadConfig(rest)
    return reported.size === 0 ? config : undefined
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const message = error.message.replace(/^Invalid configuration: /, '')
    const [name = 'environment', ...words] = message.split(' ')
    findings.push({
      level: 'error',
      setting: name,
      message: `${prefix}${words.join(' ')}; the servers refuse to start with it`,
    })
    return undefined
  }
}
