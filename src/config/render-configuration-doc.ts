/**
 * Renders `docs/configuration.md` from the settings reference, so the page cannot drift from the
 * schema: `npm run docs:config` writes it, and a test fails when the file on disk differs.
 *
 * @example
 * fs.writeFileSync('docs/configuration.md', renderConfigurationDoc())
 *
 * @module
 */
import { SETTING_GROUPS, SETTINGS_REFERENCE, type SettingReference } from './settings-reference.js'

const INTRO = `# Configuration

<!-- Generated from src/config/settings-reference.ts by \`npm run docs:config\`: edit that file, not this one. -->

Every setting comes from the environment, is validated at start-up, and has a safe default. A bad
value stops the process with one line naming the variable (\`Invalid configuration: AUTH_SERVER_PORT
must be a port from 0 to 65535\`), never a stack trace; secret values are never echoed. An empty
value counts as unset. A variable that looks like a setting but is none (\`ACCES_TOKEN_TTL\`) is
logged as a warning with the nearest setting's name.

A \`.env\` file in the working folder is read at start-up by the servers and by the \`gatehouse\`
command, as the tutorial's dotenv did (copy [\`.env.example\`](../.env.example) to \`.env\`);
variables already set in the environment win over it.
`

const FORMATS = `## Formats

Durations are a number of seconds (\`900\`) or a number with \`s\`, \`m\`, \`h\` or \`d\` (\`15s\`, \`15m\`,
\`1h\`, \`30d\`); \`ACCESS_TOKEN_TTL\`, \`REFRESH_ABSOLUTE_TTL\`, \`REFRESH_IDLE_TTL\`, \`HEADERS_TIMEOUT\` and
\`REQUEST_TIMEOUT\` must be above zero.
A rate limit is a count per duration (\`5/15m\`: five per quarter hour) or \`off\`.
A count (\`DATABASE_POOL_SIZE\`, \`REVOCATION_FEED_MAX_STREAMS\`, …) is a whole number of at least 1.
`

const SECRETS = `## Secrets

A secret you do not set is generated once (64 random bytes, hex) and kept in a file
under \`DATA_DIR\` (mode \`0600\`), so restarts, and both servers started from the same folder, use
the same one. Creating it is atomic, so two processes starting at once agree. Any secret you set
must be at least 32 bytes, or the process refuses to start. Generate one as the tutorial does:

\`\`\`sh
node -p "require('crypto').randomBytes(64).toString('hex')"   # or: npm run gatehouse -- gen-secret
\`\`\`

The generated files are as sensitive as the secrets they hold (\`key-encryption.secret\` unlocks
the signing keys and the TOTP secrets): keep \`DATA_DIR\` private, and in production set the secrets from your secret
store instead. Several instances behind one address need the same secrets set explicitly: see
[scaling.md](scaling.md).
`

/** A table cell: one line, with the table's own separator escaped. */
function cell(markdown: string): string {
  return markdown.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')
}

function table(rows: readonly (readonly [string, SettingReference])[]): string {
  const lines = ['| Variable | Default | Meaning |', '| --- | --- | --- |']
  for (const [name, setting] of rows) {
    lines.push(`| \`${name}\` | ${cell(setting.default)} | ${cell(setting.description)} |`)
  }
  return `${lines.join('\n')}\n`
}

/**
 * The whole of `docs/configuration.md`: an introduction, one table per group of settings in the
 * order of {@link SETTING_GROUPS}, then the value formats and how secrets are generated.
 *
 * @returns The Markdown text, ending in one newline.
 * @example
 * expect(fs.readFileSync('docs/configuration.md', 'utf8')).toBe(renderConfigurationDoc())
 */
export function renderConfigurationDoc(): string {
  const entries = Object.entries(SETTINGS_REFERENCE) as [string, SettingReference][]
  const sections = SETTING_GROUPS.map((group) => {
    const rows = entries.filter(([, setting]) => setting.group === group)
    return `## ${group}\n\n${table(rows)}`
  })
  return [INTRO, ...sections, FORMATS, SECRETS].join('\n')
}
