// Sends queued answers to webhook URLs, signed per Standard Webhooks, retrying failures with
// exponential backoff. The queue lives in the database, so a restart or a receiver that is down
// for hours loses nothing; a delivery marked delivered after a 2xx is never sent again.
import type { StoredAnswer, Store } from './store';
import { webhookQueue, type Delivery } from './queue';
import { signWebhook } from './signature';

/** When to try again after a failure, and when to stop. */
export interface Backoff {
  /** Wait after the first failure; each further failure doubles it. */
  firstMs: number;
  /** The longest wait between two attempts. */
  maxMs: number;
  /** A delivery still failing this long after its answer was stored is given up (`failed`). */
  giveUpAfterMs: number;
}

/** Ten seconds, doubling to an hour, for three days: a receiver down for a weekend loses nothing. */
export const DEFAULT_BACKOFF: Backoff = { firstMs: 10_000, maxMs: 3_600_000, giveUpAfterMs: 3 * 24 * 3_600_000 };

export interface WebhookOptions {
  urls: readonly string[];
  /** The `whsec_` secret receivers verify signatures with. */
  secret: string;
  backoff?: Backoff;
  /** How often the queue is looked at when nothing pokes it. */
  pollMs?: number;
  /** A receiver slower than this counts as failed. */
  timeoutMs?: number;
}

export interface WebhookWorkerOptions extends WebhookOptions {
  store: Store;
  now: () => number;
  log: (line: string) => void;
}

/** The worker; `close()` stops it after the sends in flight are settled. */
export interface WebhookWorker {
  /** Looks at the queue now (after new answers were stored). */
  poke(): void;
  close(): Promise<void>;
}

/** Deliveries claimed per round; a full round is followed by another at once. */
const BATCH = 25;

/** The body of every webhook: an event name, when it was sent, and the stored answer. */
function webhookBody(answer: StoredAnswer, now: Date): string {
  return JSON.stringify({ type: 'answer.created', timestamp: now.toISOString(), data: answer });
}

/** The wait before attempt `attempt + 1`: doubling from `firstMs`, at most `maxMs`, with up to 20 % jitter off. */
export function retryDelay(backoff: Backoff, attempt: number, random = Math.random): number {
  const exact = Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exact * (1 - 0.2 * random()));
}

/** Starts sending; the first look at the queue happens at once, so a restart resumes right away. */
export function startWebhooks({
  store,
  urls,
  secret,
  now,
  log,
  backoff = DEFAULT_BACKOFF,
  pollMs = 1000,
  timeoutMs = 10_000,
}: WebhookWorkerOptions): WebhookWorker {
  const queue = webhookQueue(store.db);
  // Longer than any send can take, so a live process never has a delivery taken from under it.
  const leaseMs = timeoutMs * 3 + 5_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  async function send(d: Delivery, answer: StoredAnswer | undefined): Promise<void> {
    if (!answer) {
      await queue.drop(d);
      return;
    }
    const at = new Date(now());
    const body = webhookBody(answer, at);
    const timestamp = Math.floor(at.getTime() / 1000);
    let error: string;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'moodpoint-webhooks',
          'webhook-id': answer.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, answer.id, timestamp, body),
        },
        body,
      });
      await res.body?.cancel();
      if (res.ok) {
        await queue.delivered(d, new Date(now()));
        return;
      }
      error = `HTTP ${res.status}`;
    } catch (err) {
      error =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : String((err as Error).cause ?? (err as Error).message);
    }
    const next = new Date(now() + retryDelay(backoff, d.attempt));
    const giveUp = next.getTime() - d.createdAt.getTime() > backoff.giveUpAfterMs;
    await queue.failed(d, error, giveUp ? undefined : next);
    log(
      `[webhooks] ${d.url} answer ${d.answerId} attempt ${d.attempt}: ${error}; ${giveUp ? 'given up' : `next at ${next.toISOString()}`}`,
    );
  }

  async function round(): Promise<number> {
    const claimed = await queue.claim(urls, new Date(now()), BATCH, leaseMs);
    if (claimed.length === 0) return 0;
    const answers = await store.answersById([...new Set(claimed.map((d) => d.answerId))]);
    await Promise.all(claimed.map((d) => send(d, answers.get(d.answerId))));
    return claimed.length;
  }

  /** One round after another while rounds come back full; never two at once in this process. */
  function run(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      try {
        do {
          again = false;
          if ((await round()) === BATCH) again = true;
        } while (again && !closed);
      } catch (err) {
        log(`[webhooks] queue: ${(err as Error).message}`);
      } finally {
        running = undefined;
        if (!closed) timer = setTimeout(run, pollMs);
      }
    })();
  }

  run();
  return {
    poke: run,
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
