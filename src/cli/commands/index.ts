/** Every `gatehouse` command, in the order the usage lists them. @module */
import type { Command } from '../command.js'
import { auditList } from './audit.js'
import { doctor } from './doctor.js'
import { keysList } from './keys-list.js'
import { keysRotate } from './keys-rotate.js'
import { genSecret, secretGenerate } from './secret-generate.js'
import { sessionsList } from './sessions-list.js'
import { sessionsRevoke } from './sessions-revoke.js'
import { tokensRevoke } from './tokens-revoke.js'
import { usersDelete, usersDisable, usersEnable, usersResetPassword } from './users-admin.js'
import { usersCreate } from './users-create.js'
import { usersList } from './users-list.js'
import { usersResetMfa } from './users-reset-mfa.js'
import { usersGrant, usersRevoke } from './users-scopes.js'
import { usersShow } from './users-show.js'
import { usersVerifyEmail } from './users-verify-email.js'

export const COMMANDS: readonly Command[] = [
  usersList,
  usersShow,
  usersCreate,
  usersDisable,
  usersEnable,
  usersDelete,
  usersResetPassword,
  usersResetMfa,
  usersGrant,
  usersRevoke,
  usersVerifyEmail,
  sessionsList,
  sessionsRevoke,
  tokensRevoke,
  keysList,
  keysRotate,
  auditList,
  secretGenerate,
  genSecret,
  doctor,
]
