/**
 * "My posts": the signed-in user's posts from the API server (`GET /posts`), a form to publish
 * one (`POST /posts`) and a delete button per post (`DELETE /posts/:id`). Every request goes
 * through `client.fetch`, which adds the access token and refreshes it when it expired.
 *
 * @module
 */
import type { GatehouseClient } from '@gatehouse/client'
import { readApiJson } from './api-failure.js'
import { announce, byId, element, formFields, onClick, onSubmit } from './dom.js'

/** A post as the API server lists it. */
interface Post {
  readonly id: string
  readonly title: string
  readonly body: string | null
  readonly createdAt: string
}

/** A view that shows data of the signed-in user. */
export interface UserDataView {
  /** Fetches and shows the data. */
  load(): Promise<void>
  /** Forgets it (on sign-out). */
  clear(): void
}

/**
 * @example
 * const posts = mountPostsView(client, 'http://localhost:3000')
 * await posts.load()
 */
export function mountPostsView(client: GatehouseClient, apiUrl: string): UserDataView {
  const list = byId('posts', HTMLUListElement)
  const form = byId('new-post-form', HTMLFormElement)

  async function load(): Promise<void> {
    const posts = await readApiJson<Post[]>(await client.fetch(`${apiUrl}/posts`))
    list.replaceChildren(...posts.map(renderPost))
    if (posts.length === 0) list.append(element('li', { text: 'No posts yet.' }))
  }

  function renderPost(post: Post): HTMLLIElement {
    const remove = element('button', {
      text: 'Delete',
      attributes: { type: 'button', class: 'secondary', 'aria-label': `Delete “${post.title}”` },
    })
    onClick(remove, async () => {
      await readApiJson(
        await client.fetch(`${apiUrl}/posts/${encodeURIComponent(post.id)}`, { method: 'DELETE' }),
      )
      announce(`Deleted “${post.title}”`)
      await load()
    })
    const item = element(
      'li',
      { attributes: { 'data-post-id': post.id } },
      element('strong', { text: post.title }),
      document.createTextNode(' '),
      remove,
    )
    if (post.body) item.append(element('p', { text: post.body }))
    return item
  }

  onSubmit(form, async () => {
    const { title, body } = formFields(form, ['title', 'body'])
    await readApiJson(
      await client.fetch(`${apiUrl}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ? { title, body } : { title }),
      }),
    )
    form.reset()
    announce(`Published “${title}”`)
    await load()
  })
  onClick(byId('reload-posts', HTMLButtonElement), load)

  return { load, clear: () => list.replaceChildren() }
}
