// `--retention-days N`: answers and impressions received more than N days ago are erased at
// start and then once a day. Every process may run it; a second DELETE simply finds nothing.
import type { Store } from './store';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Retention {
  /** The first erase, started at once; resolves when it is done (tests, and the start banner). */
  readonly first: Promise<void>;
  close(): Promise<void>;
}

/** Starts the daily erase of records older than `days`. */
export function startRetention({
  store,
  days,
  now,
  log,
  everyMs = DAY_MS,
}: {
  store: Store;
  days: number;
  now: () => number;
  log: (line: string) => void;
  everyMs?: number;
}): Retention {
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = (async () => {
      const cutoff = new Date(now() - days * DAY_MS);
      try {
        const erased = await store.eraseReceivedBefore(cutoff);
        if (erased.answers || erased.impressions) {
          log(`[retention] erased ${erased.answers} answers and ${erased.impressions} impressions received before ${cutoff.toISOString()}`);
        }
      } catch (err) {
        log(`[retention] could not erase old records: ${(err as Error).message}`);
      }
    })();
    return running;
  };
  const first = sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return {
    first,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
