import type { Answer } from './answer';

/** Payloads of the public events (SPEC §8). */
export interface EventMap {
  show: { touchpoint: string; responseId: string; kinds: string[] };
  answer: { answer: Answer };
  dismiss: { touchpoint: string; responseId: string; answered: number; steps: number };
  complete: { touchpoint: string; responseId: string };
  sent: { ids: string[]; status: number };
  error: { path: string; message: string; fix?: string; ids?: string[]; status?: number };
}

/** A public event name. */
export type EventName = keyof EventMap;

/** Every public event name. */
export const EVENT_NAMES: readonly EventName[] = ['show', 'answer', 'dismiss', 'complete', 'sent', 'error'];

/** An event handler. */
export type Handler<K extends EventName> = (payload: EventMap[K]) => void;

/** Event hub whose `emit` never throws: a failing handler is reported through `onHandlerError`. */
export interface Emitter {
  on<K extends EventName>(name: K, handler: Handler<K>): () => void;
  emit<K extends EventName>(name: K, payload: EventMap[K]): void;
  clear(): void;
}

/** Creates an event hub; each `on` returns its own unsubscribe. */
export function createEmitter(onHandlerError: (name: EventName, error: unknown) => void): Emitter {
  const handlers = new Map<EventName, Set<Handler<EventName>>>();
  return {
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      const h = handler as Handler<EventName>;
      set.add(h);
      return () => void set.delete(h);
    },
    emit(name, payload) {
      for (const h of [...(handlers.get(name) ?? [])]) {
        try {
          h(payload);
        } catch (error) {
          onHandlerError(name, error);
        }
      }
    },
    clear() {
      handlers.clear();
    },
  };
}
