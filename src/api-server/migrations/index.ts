import type { Migration } from 'kysely'
import * as posts from './0001-posts.js'

/** The API database's migrations, applied in name order. Shipped entries never change. */
export const API_MIGRATIONS: Record<string, Migration> = {
  '0001-posts': posts,
}
