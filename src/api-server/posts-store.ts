/**
 * The API server's posts, in its own database: it never opens the auth server's.
 *
 * @module
 */
import type { Kysely } from 'kysely'
import { guardStore } from '../store/sql/store-errors.js'

export interface PostsTable {
  id: string
  authorId: string
  /** The author's username when the post was written (the tutorial's `author`). */
  author: string
  title: string
  body: string | null
  /** Seconds since the epoch. */
  createdAt: number
}

export interface ApiDatabase {
  posts: PostsTable
}

/** A post as the API returns it. */
export interface Post {
  readonly id: string
  readonly author: string
  readonly title: string
  readonly body: string | null
  /** ISO 8601. */
  readonly createdAt: string
}

export interface PostsStore {
  listByAuthor(authorId: string): Promise<Post[]>
  create(post: Omit<PostsTable, 'createdAt'> & { createdAt: number }): Promise<Post>
  /** Deletes the post if `authorId` wrote it; `false` when there is no such post of theirs. */
  deleteOwn(id: string, authorId: string): Promise<boolean>
  /** Adds the post unless its id exists (demo seeding). */
  ensure(post: PostsTable): Promise<void>
  close(): Promise<void>
}

/**
 * @example
 * const posts = createPostsStore(openDatabase<ApiDatabase>(config.apiDatabaseUrl))
 */
export function createPostsStore(db: Kysely<ApiDatabase>): PostsStore {
  return {
    listByAuthor: (authorId) =>
      guardStore(async () => {
        const rows = await db
          .selectFrom('posts')
          .selectAll()
          .where('authorId', '=', authorId)
          .orderBy('createdAt')
          .orderBy('id')
          .execute()
        return rows.map(toPost)
      }),

    create: (post) =>
      guardStore(async () => {
        await db.insertInto('posts').values(post).execute()
        return toPost(post)
      }),

    deleteOwn: (id, authorId) =>
      guardStore(async () => {
        const result = await db
          .deleteFrom('posts')
          .where('id', '=', id)
          .where('authorId', '=', authorId)
          .executeTakeFirst()
        return result.numDeletedRows === 1n
      }),

    ensure: (post) =>
      guardStore(async () => {
        await db
          .insertInto('posts')
          .values(post)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute()
      }),

    close: () => db.destroy(),
  }
}

function toPost(row: PostsTable): Post {
  return {
    id: row.id,
    author: row.author,
    title: row.title,
    body: row.body,
    createdAt: new Date(Number(row.createdAt) * 1000).toISOString(),
  }
}
