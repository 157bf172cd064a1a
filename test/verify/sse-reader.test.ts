import { readServerSentEvents, type ServerSentEvent } from '@gatehouse/verify'
import { describe, expect, it } from 'vitest'

/** A byte stream delivering `chunks` one by one, as the network might cut them. */
function streamOf(chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk)
      controller.close()
    },
  })
}

async function readAll(chunks: readonly (string | Uint8Array)[], onActivity = () => {}) {
  const events: ServerSentEvent[] = []
  for await (const event of readServerSentEvents(streamOf(chunks), onActivity)) events.push(event)
  return events
}

/** Every way of cutting `text` in two. */
function everySplit(text: string): [string, string][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)])
}

describe('readServerSentEvents', () => {
  it('yields id, event type and data of each event, dispatched on a blank line', async () => {
    const events = await readAll(['id: 7\nevent: synced\ndata: {"lastEventId":7}\n\n'])
    expect(events).toEqual([{ id: '7', event: 'synced', data: '{"lastEventId":7}' }])
  })

  it('names an event without an event field "message"', async () => {
    const events = await readAll(['data: a\n\nevent: custom\ndata: b\n\ndata: c\n\n'])
    expect(events.map((e) => e.event)).toEqual(['message', 'custom', 'message'])
  })

  it('joins several data lines of one event with a line feed', async () => {
    const events = await readAll(['data: first\ndata: second\ndata:third\n\n'])
    expect(events).toEqual([{ id: undefined, event: 'message', data: 'first\nsecond\nthird' }])
  })

  it('reassembles an event whatever the point where a chunk ends', async () => {
    const text = 'id: 12\ndata: {"id":12,"sid":"abc","exp":99}\n\n'
    for (const [head, tail] of everySplit(text)) {
      const events = await readAll([head, tail])
      expect(events).toEqual([
        { id: '12', event: 'message', data: '{"id":12,"sid":"abc","exp":99}' },
      ])
    }
  })

  it('reassembles an event delivered one character at a time', async () => {
    const events = await readAll([...'id: 3\ndata: x\ndata: y\n\n'])
    expect(events).toEqual([{ id: '3', event: 'message', data: 'x\ny' }])
  })

  it('accepts CRLF and lone CR line endings', async () => {
    const events = await readAll(['id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r'])
    expect(events).toEqual([
      { id: '1', event: 'message', data: 'a' },
      { id: '2', event: 'message', data: 'b' },
    ])
  })

  it('treats a CRLF cut between its CR and LF as one line ending', async () => {
    // The network may split "\r\n" across two chunks; the LF must not end the event early.
    const events = await readAll(['data: a\r', '\ndata: b\r', '\n\r', '\n'])
    expect(events).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }])
  })

  it('ignores comment lines and reports every chunk, comments included, as activity', async () => {
    let activity = 0
    const events = await readAll([': ping\n\n', ': ping\n\ndata: x\n', ': hi\n\n'], () => {
      activity++
    })
    expect(events).toEqual([{ id: undefined, event: 'message', data: 'x' }])
    expect(activity).toBe(3)
  })

  it('removes one leading space from a value, and only one', async () => {
    const events = await readAll(['data:  two spaces\n\n'])
    expect(events[0]?.data).toBe(' two spaces')
  })

  it('keeps the last event id for later events without an id field', async () => {
    const events = await readAll(['id: 5\ndata: a\n\ndata: b\n\nid: 6\ndata: c\n\n'])
    expect(events.map((e) => e.id)).toEqual(['5', '5', '6'])
  })

  it('ignores an id containing NUL', async () => {
    const events = await readAll(['id: 5\ndata: a\n\nid: 6\u0000\ndata: b\n\n'])
    expect(events.map((e) => e.id)).toEqual(['5', '5'])
  })

  it('dispatches nothing for an event without data, and drops an unterminated last event', async () => {
    const events = await readAll(['event: synced\n\nretry: 1000\n\ndata: last'])
    expect(events).toEqual([])
  })

  it('decodes a multi-byte character cut between two chunks', async () => {
    const bytes = new TextEncoder().encode('data: café ✓\n\n')
    const events = await readAll([bytes.slice(0, 10), bytes.slice(10)])
    expect(events[0]?.data).toBe('café ✓')
  })
})
