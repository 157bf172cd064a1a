/**
 * The revocation feed's event ids: `<epoch>.<id>`, the log's identity and the entry's place in
 * it. A reconnecting subscriber sends the last one back (`Last-Event-ID`, or `?after=` when
 * polling); only an id of the current epoch resumes where it stopped. Any other (another epoch,
 * a bare number from before epochs, garbage) reads as "nothing known": a full catch-up of the
 * entries in force, which is always safe, where resuming from a stranger's id would skip entries.
 *
 * @module
 */

/** A position in one log. */
export interface EventCursor {
  readonly epoch: string
  readonly id: number
}

/**
 * @example
 * formatEventId('Kq3vR8xWm2Ab', 906) // 'Kq3vR8xWm2Ab.906'
 */
export function formatEventId(epoch: string, id: number): string {
  return `${epoch}.${id}`
}

/**
 * The cursor an event id names, or `undefined` when it names none (then: catch up in full).
 *
 * @example
 * parseEventId('Kq3vR8xWm2Ab.906') // { epoch: 'Kq3vR8xWm2Ab', id: 906 }
 * parseEventId('906') // undefined
 */
export function parseEventId(text: string): EventCursor | undefined {
  const match = /^([A-Za-z0-9_-]{1,64})\.(\d{1,15})$/.exec(text)
  return match?.[1] && match[2] ? { epoch: match[1], id: Number(match[2]) } : undefined
}

/** Where to read from for `cursor` in a log of `epoch`: after its id if it is that log's, else 0. */
export function afterIdIn(epoch: string, cursor: EventCursor | undefined): number {
  return cursor?.epoch === epoch ? cursor.id : 0
}
