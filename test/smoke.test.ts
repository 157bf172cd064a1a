import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bearer,
  login,
  request,
  startTestServers,
  type TestServers,
} from './helpers/test-servers.js'

describe('the tutorial flow', () => {
  let servers: TestServers
  beforeAll(async () => {
    servers = await startTestServers()
  })
  afterAll(() => servers.close())

  it('logs Jane in and shows her own posts only', async () => {
    const tokens = await login(servers.authUrl)
    const posts = await request(`${servers.apiUrl}/posts`, { headers: bearer(tokens.accessToken) })
    expect(posts.status).toBe(200)
    expect(posts.body.map((p: { title: string }) => p.title)).toEqual(['Post 1'])
  })
})
