import { createAccountService } from '../../accounts/account-service.js'
import { cliAuditLog } from '../../audit/cli-audit.js'
import { registerBody } from '../../auth-server/schemas.js'
import type { Config } from '../../config/load-config.js'
import { createPasswordHasher } from '../../passwords/password-hasher.js'
import { createStores } from '../../store/create-stores.js'
import type { Print } from './keys.js'

/**
 * `gatehouse users create --username NAME` with the password on standard input: the same rules
 * as `POST /register`, without a running server.
 */
export async function createUser(
  config: Config,
  username: string,
  password: string,
  print: Print,
): Promise<void> {
  const parsed = registerBody.safeParse({ username, password })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'is invalid'}`)
  }
  const stores = await createStores(config.databaseUrl)
  try {
    const accounts = createAccountService({
      users: stores.users,
      passwords: await createPasswordHasher(),
      defaultScopes: config.defaultScopes,
    })
    const user = await accounts.register(parsed.data)
    await cliAuditLog(config, stores).record({
      event: 'user.registered',
      actor: 'cli',
      userId: user.id,
    })
    print(`created user ${user.username} (${user.id})`)
  } finally {
    await stores.close()
  }
}
