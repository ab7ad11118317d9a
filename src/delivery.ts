import type { Answer } from './answer';
import type { Outbox, OutboxRecord } from './outbox';
import { encodeBatch, send, type Outcome, type SendOptions } from './transport';
import { heldNames, withLock } from './lock';

/** Largest batch, in answers and in bytes of body (SPEC §5). */
export const MAX_BATCH = 50;
export const MAX_BATCH_BYTES = 60_000;
/** Browsers allow about 64 KB of keepalive bodies in flight per page. */
const KEEPALIVE_BUDGET = 64_000;
const BACKOFF_MIN_MS = 2_000;
const BACKOFF_MAX_MS = 3_600_000;
/** Held while reading or changing the outbox, so one tab flushes at a time and a patch never races a send. */
export const OUTBOX_LOCK = 'moodpoint-outbox';
const OPEN = 'moodpoint-open:';

/**
 * The lock a tab holds while a showing is on screen. Its answers wait until it closes, so a
 * comment or emotion words join their score before anything is sent; a closed or crashed tab
 * releases it by itself.
 */
export const showingLock = (responseId: string): string => OPEN + responseId;

/** What delivery reports back to the orchestrator. */
export interface DeliveryEvents {
  sent(answers: Answer[], status: number): void;
  /** The endpoint refused these for good; `deadLetters` is how many this browser has refused so far. */
  rejected(answers: Answer[], status: number, deadLetters: number): void;
  debug(...args: unknown[]): void;
}

/** Flushes the outbox to the endpoint with retries. */
export interface Delivery {
  /** Sends everything queued; resolves when this attempt is over (another tab may be flushing instead). */
  flush(): Promise<void>;
  /** Best-effort send of what this tab knows, for `pagehide`: synchronous start, `keepalive`. */
  flushOnUnload(): void;
  stop(): void;
}

/** Splits records into batches of at most `MAX_BATCH` answers and `MAX_BATCH_BYTES` of body. */
export function toBatches(records: readonly OutboxRecord[], maxBytes = MAX_BATCH_BYTES): OutboxRecord[][] {
  const batches: OutboxRecord[][] = [];
  let batch: OutboxRecord[] = [];
  let bytes = 16;
  for (const r of records) {
    const size = new Blob([JSON.stringify(r.answer)]).size + 1;
    if (batch.length && (batch.length >= MAX_BATCH || bytes + size > maxBytes)) {
      batches.push(batch);
      batch = [];
      bytes = 16;
    }
    batch.push(r);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/** Full-jitter exponential backoff: a random wait up to min(max, min·2^attempt). */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.round(random() * Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt)) + BACKOFF_MIN_MS / 2;
}

/** Creates delivery for one endpoint. */
export function createDelivery(outbox: Outbox, endpoint: string, options: SendOptions, events: DeliveryEvents): Delivery {
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const retryLater = (retryAfterMs?: number) => {
    clearTimeout(timer);
    const wait = retryAfterMs ?? backoffMs(attempt++);
    events.debug(`retrying in ${wait} ms`);
    timer = setTimeout(() => void flush(), wait);
  };

  /** Posts one batch and settles its records; returns false when the rest must wait. */
  const deliver = async (batch: OutboxRecord[]): Promise<boolean> => {
    const outcome: Outcome = await send(
      endpoint,
      batch.map((r) => r.answer),
      options,
    );
    if (outcome.type === 'ok') {
      await outbox.ack(batch);
      events.sent(
        batch.map((r) => r.answer),
        outcome.status,
      );
      return true;
    }
    if (outcome.type === 'split' && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      return (await deliver(batch.slice(0, half))) && deliver(batch.slice(half));
    }
    if (outcome.type === 'retry') {
      await outbox.failed(batch);
      retryLater(outcome.retryAfterMs);
      return false;
    }
    const deadLetters = await outbox.reject(batch.map((r) => r.answer.id));
    events.rejected(
      batch.map((r) => r.answer),
      outcome.status,
      deadLetters,
    );
    return true;
  };

  const attemptAll = async (): Promise<true> => {
    const open = await heldNames(OPEN);
    const ready = (await outbox.all()).filter((r) => !open.has(showingLock(r.answer.responseId)));
    for (const batch of toBatches(ready)) {
      if (stopped || !(await deliver(batch))) return true;
    }
    attempt = 0;
    return true;
  };

  /**
   * When another flush holds the lock (this tab's or another tab's), it may have read the outbox
   * before our newest answer arrived: one waiter per tab takes the lock after it and sends what is left.
   */
  let waiting = false;
  const flush = async (): Promise<void> => {
    if (stopped) return;
    if ((await withLock(OUTBOX_LOCK, attemptAll, true)) || waiting) return;
    waiting = true;
    try {
      await withLock(OUTBOX_LOCK, async () => stopped || attemptAll());
    } finally {
      waiting = false;
    }
  };

  return {
    flush,
    flushOnUnload() {
      if (stopped) return;
      let budget = KEEPALIVE_BUDGET;
      for (const batch of toBatches(outbox.known())) {
        const bytes = new Blob([encodeBatch(batch.map((r) => r.answer))]).size;
        if (bytes > budget) break;
        budget -= bytes;
        send(
          endpoint,
          batch.map((r) => r.answer),
          { ...options, keepalive: true },
        )
          .then((o) => (o.type === 'ok' ? outbox.ack(batch) : undefined))
          .catch((error) => events.debug('unload send', error));
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
