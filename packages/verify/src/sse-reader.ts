/**
 * A minimal Server-Sent Events reader over `fetch` (WHATWG HTML §9.2): the `id`, `event` and
 * `data` fields, comments and line endings. Node 20 has no EventSource, and the feed needs
 * `Last-Event-ID` on reconnect and its own back-off, so the loop around it is ours.
 *
 * @module
 */

export interface ServerSentEvent {
  readonly id: string | undefined
  readonly event: string
  readonly data: string
}

/**
 * Yields each event of a `text/event-stream` body, and calls `onActivity` for every chunk
 * (comments included) so that a caller can tell a silent connection from a live one.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  onActivity: () => void,
): AsyncGenerator<ServerSentEvent> {
  let buffer = ''
  let id: string | undefined
  let event = ''
  let data: string[] = []
  let afterCarriageReturn = false
  for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
    onActivity()
    // A CRLF cut between two chunks is one line ending: the CR already ended the line.
    buffer += afterCarriageReturn && chunk.startsWith('\n') ? chunk.slice(1) : chunk
    afterCarriageReturn = chunk.endsWith('\r')
    const lines = buffer.split(/\r\n|\r|\n/)
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) yield { id, event: event || 'message', data: data.join('\n') }
        event = ''
        data = []
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
      if (field === 'data') data.push(value)
      else if (field === 'event') event = value
      else if (field === 'id' && !value.includes('\0')) id = value
    }
  }
}
