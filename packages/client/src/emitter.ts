/**
 * A tiny typed event emitter for this tab's listeners. A listener that throws does not stop the
 * others, nor the client's own state change that emitted the event.
 *
 * @module
 */

export interface Emitter<Events> {
  on<E extends keyof Events>(event: E, listener: (detail: Events[E]) => void): () => void
  emit<E extends keyof Events>(event: E, detail: Events[E]): void
  clear(): void
}

/**
 * @example
 * const events = createEmitter<ClientEvents>()
 * const off = events.on('signedOut', ({ reason }) => console.log(reason))
 */
export function createEmitter<Events>(): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<(detail: never) => void>>()
  return {
    on(event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set)
      set.add(listener)
      return () => set.delete(listener)
    },
    emit(event, detail) {
      for (const listener of listeners.get(event) ?? []) {
        try {
          ;(listener as (value: Events[typeof event]) => void)(detail)
        } catch (error) {
          queueMicrotask(() => {
            throw error
          })
        }
      }
    },
    clear: () => listeners.clear(),
  }
}
