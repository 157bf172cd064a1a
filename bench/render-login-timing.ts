/**
 * How the `login-timing` part reads, in the terminal and in BENCHMARKS.md.
 *
 * @module
 */
import type { LoginTimingResult } from './login-timing.js'
import type { PartOutcome } from './render-revocations.js'

const ms = (value: number) => `${value.toFixed(1)} ms`

/** The terminal lines. */
export function renderLoginTimingText(result: LoginTimingResult): string {
  return [
    `login timing (${result.rounds} of each): wrong password p50 ${ms(result.wrongPassword.p50)}, p99 ${ms(result.wrongPassword.p99)}; unknown user p50 ${ms(result.unknownUser.p50)}, p99 ${ms(result.unknownUser.p99)}; ratio of p50s ${result.ratioP50.toFixed(2)}`,
    result.unexpected.length > 0
      ? `  statuses other than 401: ${result.unexpected.join(', ')}`
      : '',
  ]
    .filter(Boolean)
    .join('\n')
}

/** The `## Login timing` section of BENCHMARKS.md. */
export function renderLoginTimingMarkdown(outcome: PartOutcome<LoginTimingResult>): string {
  const method = `## Login timing: unknown user against wrong password

Whether a login's response time tells that a username exists (issue "Abuse resistance":
compared here, never asserted). The real auth server in a child process, rate limits off for the
run; logins alternate between a registered user with a wrong password and usernames that do not
exist, one at a time, after a few unmeasured ones. Both answer 401 with the same body; an unknown
user's password is hashed against a dummy argon2id hash of the same cost.
`
  if ('error' in outcome) return `${method}\nNot measured: ${outcome.error}\n`
  const { result } = outcome
  return `${method}
| logins of each | wrong password p50 | p99 | mean | unknown user p50 | p99 | mean | unknown / wrong (p50) |
|---:|---:|---:|---:|---:|---:|---:|---:|
| ${result.rounds} | ${ms(result.wrongPassword.p50)} | ${ms(result.wrongPassword.p99)} | ${ms(result.wrongPassword.mean)} | ${ms(result.unknownUser.p50)} | ${ms(result.unknownUser.p99)} | ${ms(result.unknownUser.mean)} | ${result.ratioP50.toFixed(2)} |
${result.unexpected.length > 0 ? `\n- Statuses other than 401: ${result.unexpected.join(', ')}.\n` : ''}`
}
