import { withDetail, type Answer, type Detail, type Impression } from './answer';
import type { Config } from './config';
import { createDelivery, OUTBOX_LOCK, type Delivery } from './delivery';
import { withLock } from './lock';
import { debugLog } from './log';
import { createOutbox, isImpression, type Outbox, type Queued } from './outbox';
import type { Reporter } from './reporter';
import type { Kv, LazyKv } from './storage';
import type { Emitter } from './emitter';

/**
 * The way from an answer to the endpoint: the consent hold, the store, the outbox, delivery and
 * the outbox lock. Without consent nothing is stored or sent; answers wait in memory.
 */
export interface Queue {
  /** True while storing and sending are allowed. */
  readonly consented: boolean;
  /** True once the store was opened (something may be stored in this browser). */
  readonly opened: boolean;
  /** The store, opened on first use (only ever called with consent). */
  kv(): Kv;
  add(answer: Answer): Promise<void>;
  /** Queues an impression, unless config says `"impressions": false`. */
  addImpression(impression: Impression): Promise<void>;
  /**
   * Joins emotion words or a comment to a scored answer while it is queued. Once it was sent, a
   * comment goes as its own `kind: "comment"` record (SPEC §4) and words as a same-id resend.
   */
  addDetail(scored: Answer, detail: Detail): Promise<void>;
  /** Sends what is queued now (nothing without consent). */
  flush(): Promise<void>;
  /** At page unload: sends what this tab knows, with `keepalive` (nothing without consent). */
  flushOnUnload(): void;
  /**
   * Consent given: what was held is stored and sent. Withdrawn: sending stops at once, retries
   * are cancelled, and what is queued in this browser is deleted, unsent.
   */
  consent(granted: boolean): Promise<void>;
  stop(): void;
}

/** Creates the queue of one widget on the store of its `init`; that store is opened only when something needs it, with consent. */
export function createQueue(config: Config, consented: boolean, store: LazyKv, emitter: Emitter, reporter: Reporter): Queue {
  const debug = config.debug;
  let held: Queued[] = [];
  let parts: { outbox: Outbox; delivery?: Delivery } | undefined;
  let stopped = false;

  const kv = store.get;
  const unlisten = store.onLost(() => {
    debugLog(debug, 'the database was closed for another page (deleted?): writing back what this tab holds');
    if (parts && !stopped && consented) void reporter.guard('outbox', () => parts!.outbox.all());
  });

  const ready = () => {
    if (parts) return parts;
    const outbox = createOutbox(kv(), {
      maxAnswers: config.outbox?.maxAnswers ?? 1000,
      maxAgeDays: config.outbox?.maxAgeDays ?? 30,
      onEvict: (answers, reason) =>
        reporter.report(
          {
            path: 'outbox',
            message: `${answers.length} unsent answer(s) evicted: ${reason}`,
            fix: 'check the endpoint is reachable, or raise the limit',
          },
          { ids: answers.map((a) => a.id) },
        ),
    });
    const delivery =
      config.endpoint &&
      createDelivery(
        outbox,
        config.endpoint,
        { contentType: config.contentType ?? 'text/plain;charset=UTF-8' },
        {
          // `sent` is about answers; impressions are the widget's own bookkeeping.
          sent: (records, status) => {
            const ids = records.filter((r) => !isImpression(r)).map((a) => a.id);
            if (ids.length) emitter.emit('sent', { ids, status });
          },
          rejected: (records, status, deadLetters) =>
            reporter.report(
              isImpression(records[0]!)
                ? {
                    path: 'endpoint',
                    message: `rejected ${records.length} impression(s) with HTTP ${status}; they are dropped (${deadLetters} records in all)`,
                    fix: 'let the collector take { "impressions": [...] } batches (docs/SPEC.md §5), or set "impressions": false',
                  }
                : {
                    path: 'endpoint',
                    message: `rejected ${records.length} answer(s) with HTTP ${status}; they are dropped (${deadLetters} records in all)`,
                    fix: 'check the collector accepts the answers of docs/SPEC.md §4',
                  },
              { ids: records.map((a) => a.id), status },
            ),
          debug: (...args) => debugLog(debug, ...args),
        },
      );
    return (parts = { outbox, delivery: delivery || undefined });
  };

  /**
   * Writes and consent changes run one after another, in the order they were asked for: a
   * comment follows its score, and consent withdrawn right after an answer applies to it too.
   */
  let writes: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(where: string, work: () => Promise<T>) => {
    const run = writes.then(() => reporter.guard(where, work));
    writes = run;
    return run;
  };

  /** Sends once the writes asked for so far are done; sending itself is not in that order. */
  const flush = () =>
    reporter.guard('flush', async () => {
      await writes;
      if (!consented || stopped) return;
      await ready().delivery?.flush();
    });

  const add = (record: Queued) =>
    inOrder('outbox', async () => {
      if (!consented) return void held.push(record);
      await ready().outbox.add(record);
    });

  return {
    get consented() {
      return consented;
    },
    get opened() {
      return store.opened;
    },
    kv,
    add,
    addImpression: (impression) => (config.impressions === false ? Promise.resolve() : add(impression)),
    addDetail: (scored, detail) =>
      inOrder('outbox', async () => {
        if (!consented) {
          const i = held.findIndex((a) => a.id === scored.id);
          if (i >= 0) held[i] = withDetail(held[i] as Answer, detail, false);
          else held.push(withDetail(scored, detail, true));
          return;
        }
        const { outbox } = ready();
        await withLock(OUTBOX_LOCK, async () => {
          if (!(await outbox.patch(scored.id, detail))) await outbox.add(withDetail(scored, detail, true));
        });
      }),
    flush,
    flushOnUnload() {
      if (consented && !stopped) parts?.delivery?.flushOnUnload();
    },
    consent: (granted) =>
      inOrder('consent', async () => {
        if (granted && consented) return;
        consented = granted;
        if (granted) {
          const answers = held;
          held = [];
          for (const a of answers) await ready().outbox.add(a);
          return;
        }
        held = [];
        parts?.delivery?.pause();
        // Withdrawn: what this browser still holds of the visitor's answers goes, unsent.
        if (store.opened) await ready().outbox.clear();
      }).then(() => (consented ? flush() : undefined)),
    stop() {
      stopped = true;
      unlisten();
      parts?.delivery?.stop();
    },
  };
}
