/**
 * The tutorial's demo data: Jane and John (password `abcd`) and their posts. Development only:
 * seeded unless `NODE_ENV=production` (or `DEMO_DATA=false`), and the log says so.
 *
 * The user ids are fixed so that the API server, which never reads the auth database, can seed
 * posts that belong to them.
 *
 * @module
 */
export const DEMO_USERS = [
  { id: '00000000-0000-4000-8000-00000000000a', username: 'Jane', password: 'abcd' },
  { id: '00000000-0000-4000-8000-00000000000b', username: 'John', password: 'abcd' },
] as const

export const DEMO_POSTS = [
  {
    id: '00000000-0000-4000-8000-0000000000a1',
    authorId: DEMO_USERS[0].id,
    author: 'Jane',
    title: 'Post 1',
    body: null,
    createdAt: 1_633_526_601, // the tutorial's own `iat`, in seconds
  },
  {
    id: '00000000-0000-4000-8000-0000000000b1',
    authorId: DEMO_USERS[1].id,
    author: 'John',
    title: 'Post 2',
    body: null,
    createdAt: 1_633_526_601,
  },
] as const
