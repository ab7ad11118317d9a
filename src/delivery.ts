import { heldNames, withLock } from './lock';
import { isImpression, type Outbox, type OutboxRecord, type Queued } from './outbox';
import { send, type Outcome, type SendOptions } from './transport';

/** Largest batch, in answers and in bytes of body (SPEC §5). */
export const MAX_BATCH = 50;
export const MAX_BATCH_BYTES = 60_000;
/** Browsers allow about 64 KB of keepalive bodies in flight per page. */
const KEEPALIVE_BUDGET = 64_000;
/** Posts of one flush in flight at once: fewer than a browser's six connections per host. */
const IN_FLIGHT = 4;
const BACKOFF_MIN_MS = 2_000;
const BACKOFF_MAX_MS = 3_600_000;
/** Held while reading or changing the outbox, so one tab flushes at a time and a patch never races a send. */
export const OUTBOX_LOCK = 'moodpoint-outbox';
const OPEN = 'moodpoint-open:';
const TAIL = ']}';

/**
 * The lock a tab holds while a showing is on screen. Its answers wait until it closes, so a
 * comment or emotion words join their score before anything is sent; a closed or crashed tab
 * releases it by itself.
 */
export const showingLock = (responseId: string): string => OPEN + responseId;

/** What delivery reports back to the orchestrator. */
export interface DeliveryEvents {
  sent(records: Queued[], status: number): void;
  /** The endpoint refused these for good; `deadLetters` is how many this browser has refused so far. */
  rejected(records: Queued[], status: number, deadLetters: number): void;
  debug(...args: unknown[]): void;
}

/** Flushes the outbox to the endpoint with retries. */
export interface Delivery {
  /** Sends everything queued; resolves when this attempt is over (another tab may be flushing instead). */
  flush(): Promise<void>;
  /** Best-effort send of what this tab knows, for `pagehide`: synchronous start, `keepalive`. */
  flushOnUnload(): void;
  /** Cancels the retry timer; nothing is sent again until the next `flush()`. */
  pause(): void;
  stop(): void;
}

/** A send the endpoint asked to try again, after `afterMs` when it said (`Retry-After`). */
interface Retry {
  afterMs?: number;
}

/** Records and the request body that carries them. */
export interface Batch {
  records: OutboxRecord[];
  body: string;
}

/** Bytes of `text` in UTF-8, without encoding it: a surrogate pair is 4 bytes, other code units past U+07FF 3. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/**
 * Splits records into batches of at most `MAX_BATCH` records and `maxBytes` of body: answers as
 * `{"answers":[…]}`, impressions as `{"impressions":[…]}`, never both in one, so an endpoint that
 * knows only answers refuses only impressions. Each record is serialised once, and its text both
 * measures it and goes into the body.
 */
export function toBatches(records: readonly OutboxRecord[], maxBytes = MAX_BATCH_BYTES): Batch[] {
  const batches: Batch[] = [];
  for (const impressions of [false, true]) {
    const head = impressions ? '{"impressions":[' : '{"answers":[';
    let batch: OutboxRecord[] = [];
    let parts: string[] = [];
    let bytes = head.length + TAIL.length;
    const close = () => {
      batches.push({ records: batch, body: head + parts.join(',') + TAIL });
      batch = [];
      parts = [];
      bytes = head.length + TAIL.length;
    };
    for (const r of records) {
      if (isImpression(r.answer) !== impressions) continue;
      const text = JSON.stringify(r.answer);
      const size = utf8Length(text) + 1;
      if (batch.length && (batch.length >= MAX_BATCH || bytes + size > maxBytes)) close();
      batch.push(r);
      parts.push(text);
      bytes += size;
    }
    if (batch.length) close();
  }
  return batches;
}

/** A batch the endpoint acknowledged, waiting to leave the outbox. */
interface Acknowledged {
  records: OutboxRecord[];
  status: number;
}

/** Collects items for `run`, which handles them one call at a time. */
interface Grouped<T> {
  add(item: T): void;
  /** Hands on what still waits; resolves once all added so far was handled, rejects with the first failure. */
  settled(): Promise<void>;
}

/**
 * Hands items to `run` in groups of `size` or more, one call at a time: items added while a call
 * is under way wait and join the next. Acknowledged batches leave the outbox this way, while the
 * next posts are in flight, in a few large deletes rather than one per batch: in Chromium each
 * range delete costs about 5 ms of the store's time besides 20 µs per record.
 */
function grouped<T>(run: (items: T[]) => Promise<void>, size: number): Grouped<T> {
  const waiting: T[] = [];
  let queue = Promise.resolve();
  let failure: [unknown] | undefined;
  const next = () => {
    // A group may be due twice before it starts (full, then the end of the posts): the first takes all.
    queue = queue.then(() => (waiting.length ? run(waiting.splice(0)).catch((error) => void (failure ??= [error])) : undefined));
  };
  return {
    add(item) {
      if (waiting.push(item) === size) next();
    },
    async settled() {
      if (waiting.length) next();
      await queue;
      if (failure) throw failure[0];
    },
  };
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
  let paused = false;

  const retryLater = (retryAfterMs?: number) => {
    clearTimeout(timer);
    const wait = retryAfterMs ?? backoffMs(attempt++);
    events.debug(`retrying in ${wait} ms`);
    timer = setTimeout(() => void (paused || attemptNow()), wait);
  };

  /**
   * Posts one batch and settles its records (acknowledged ones join `acks`, to leave the outbox
   * while the next posts go); resolves to a retry when the rest must wait.
   */
  const deliver = async ({ records, body }: Batch, acrossTabs: boolean, acks: Grouped<Acknowledged>): Promise<Retry | undefined> => {
    const outcome: Outcome = await send(endpoint, body, options);
    const sent = records.map((r) => r.answer);
    if (outcome.type === 'ok') {
      acks.add({ records, status: outcome.status });
      return undefined;
    }
    if (outcome.type === 'split' && records.length > 1) {
      const [first, second] = [records.slice(0, Math.ceil(records.length / 2)), records.slice(Math.ceil(records.length / 2))];
      return (await deliver(toBatches(first)[0]!, acrossTabs, acks)) ?? deliver(toBatches(second)[0]!, acrossTabs, acks);
    }
    if (outcome.type === 'retry') {
      await outbox.failed(records);
      return { afterMs: outcome.retryAfterMs };
    }
    const deadLetters = await outbox.reject(sent.map((a) => a.id));
    events.rejected(sent, outcome.status, deadLetters);
    return undefined;
  };

  /**
   * Sends the ready batches, up to `IN_FLIGHT` at a time so a long outbox is not paced by one
   * round trip per batch; the first retry stops new posts, and the backoff is counted once.
   */
  const attemptAll = async (acrossTabs: boolean): Promise<true> => {
    const open = await heldNames(OPEN);
    const batches = toBatches((await outbox.all()).filter((r) => !open.has(showingLock(r.answer.responseId))));
    let retry: Retry | undefined;
    const acks = grouped<Acknowledged>(async (done) => {
      await outbox.ack(
        done.flatMap((d) => d.records),
        acrossTabs,
      );
      for (const d of done)
        events.sent(
          d.records.map((r) => r.answer),
          d.status,
        );
    }, IN_FLIGHT);
    const post = async (): Promise<void> => {
      for (let batch; !retry && !stopped && !paused && (batch = batches.shift());)
        retry = (await deliver(batch, acrossTabs, acks)) ?? retry;
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, post));
    await acks.settled();
    if (retry) retryLater(retry.afterMs);
    else attempt = 0;
    return true;
  };

  /**
   * When another flush holds the lock (this tab's or another tab's), it may have read the outbox
   * before our newest answer arrived: one waiter per tab takes the lock after it and sends what is left.
   */
  let waiting = false;
  const attemptNow = async (): Promise<void> => {
    // Most page views find nothing queued: they take no lock, since a page's first Web Locks
    // request costs its main thread the binding to the browser's lock manager (about half a millisecond).
    if (stopped || paused || (await outbox.empty())) return;
    if ((await withLock(OUTBOX_LOCK, attemptAll, true)) || waiting) return;
    waiting = true;
    try {
      await withLock(OUTBOX_LOCK, async (acrossTabs) => stopped || paused || attemptAll(acrossTabs));
    } finally {
      waiting = false;
    }
  };

  return {
    flush() {
      paused = false;
      return attemptNow();
    },
    flushOnUnload() {
      if (stopped || paused) return;
      let budget = KEEPALIVE_BUDGET;
      for (const batch of toBatches(outbox.known())) {
        const bytes = utf8Length(batch.body);
        if (bytes > budget) break;
        budget -= bytes;
        send(endpoint, batch.body, { ...options, keepalive: true })
          .then((o) => (o.type === 'ok' ? outbox.ack(batch.records) : undefined))
          .catch((error) => events.debug('unload send', error));
      }
    },
    pause() {
      paused = true;
      clearTimeout(timer);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
