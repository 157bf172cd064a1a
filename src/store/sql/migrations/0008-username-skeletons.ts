import type { Kysely } from 'kysely'
import { usernameKey, usernameSkeleton } from '../../../lib/username-key.js'

/**
 * Usernames compared as PRECIS UsernameCaseMapped (full case folding) and kept apart from their
 * look-alikes: every user gets `username_skeleton` (Unicode TS #39), unique, so that two names
 * that look the same cannot both exist, also when registered at the same moment.
 *
 * Existing users keep logging in with their names: each `username_key` is recomputed in the new
 * form, unless that form is another user's key already (then it keeps its old one); where two
 * existing users share a skeleton, the older one gets it and the younger none (NULLs never
 * collide). So the upgrade renames no one and fails on no database; such pairs are rare.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const users = db as Kysely<UsersBefore>
  await db.schema.alterTable('users').addColumn('username_skeleton', 'text').execute()
  const rows = await users
    .selectFrom('users')
    .select(['id', 'username', 'usernameKey'])
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  const keys = new Set(rows.map((row) => row.usernameKey))
  const skeletons = new Set<string>()
  for (const row of rows) {
    const key = usernameKey(row.username)
    const skeleton = usernameSkeleton(row.username)
    const keepKey = key !== row.usernameKey && keys.has(key)
    if (!keepKey) keys.add(key)
    const setSkeleton = !skeletons.has(skeleton)
    if (setSkeleton) skeletons.add(skeleton)
    await users
      .updateTable('users')
      .set({
        usernameKey: keepKey ? row.usernameKey : key,
        usernameSkeleton: setSkeleton ? skeleton : null,
      })
      .where('id', '=', row.id)
      .execute()
  }
  await db.schema
    .createIndex('users_username_skeleton_idx')
    .on('users')
    .column('username_skeleton')
    .unique()
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_username_skeleton_idx').execute()
  await db.schema.alterTable('users').dropColumn('username_skeleton').execute()
}

/** The users table as this migration sees it (camelCase, through `CamelCasePlugin`). */
interface UsersBefore {
  users: {
    id: string
    username: string
    usernameKey: string
    usernameSkeleton: string | null
    createdAt: number
  }
}
