import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';

/** A small async key-value store: IndexedDB when it works, memory otherwise. */
export interface Kv {
  get<T>(key: string): Promise<T | undefined>;
  /** Several values read in one transaction, in the order of `keys`. */
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  set(key: string, value: unknown): Promise<void>;
  /** Several values written in one transaction. */
  setMany(entries: [string, unknown][]): Promise<void>;
  /** Deletes `keys` in one transaction (in one request when nothing else lies between them). */
  del(keys: string[]): Promise<void>;
  /** Reads `keys` and deletes those `remove` accepts, in one transaction; resolves to the deleted keys. */
  delWhere<T>(keys: string[], remove: (value: T | undefined, key: string) => boolean): Promise<string[]>;
  /** Every entry whose key starts with `prefix`, in key order. */
  list<T>(prefix: string): Promise<[string, T][]>;
  /** True when some key starts with `prefix`; reads no value. */
  any(prefix: string): Promise<boolean>;
  /** False once the store has fallen back to memory. */
  readonly persistent: boolean;
  /** Grows whenever what was stored may have been lost: a new connection after one was closed or deleted, or a fall back to memory. */
  readonly epoch: number;
}

const DB = 'moodpoint';
const OPEN_TIMEOUT_MS = 1000;

function memoryKv(map = new Map<string, unknown>()): Kv {
  return {
    persistent: false,
    epoch: 0,
    get: async <T>(key: string) => map.get(key) as T | undefined,
    getMany: async <T>(keys: string[]) => keys.map((k) => map.get(k) as T | undefined),
    set: async (key, value) => void map.set(key, value),
    setMany: async (entries) => entries.forEach(([k, v]) => map.set(k, v)),
    del: async (keys) => keys.forEach((k) => map.delete(k)),
    delWhere: async <T>(keys: string[], remove: (value: T | undefined, key: string) => boolean) =>
      keys.filter((k) => remove(map.get(k) as T | undefined, k) && (map.delete(k), true)),
    list: async <T>(prefix: string) => [...map].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)) as [string, T][],
    any: async (prefix) => [...map.keys()].some((k) => k.startsWith(prefix)),
  };
}

/**
 * Queues the deletes of `keys` in a readwrite transaction. Each delete request costs far more
 * than the records it removes (in Chromium a range delete of 50 records takes about 6 ms, of
 * 10,000 about 230 ms, and 10,000 single deletes ten times as long as 200 range deletes of 50),
 * so the keys stored between the first and the last are read, and each run of wanted keys with
 * nothing else between goes in one range delete. The read runs in the same transaction: nothing
 * written by another tab meanwhile can fall in a range. It is capped, and what lies beyond the
 * cap is deleted key by key.
 */
function deleteKeys(s: IDBObjectStore, keys: readonly string[]): void {
  const wanted = new Set(keys);
  const sorted = [...wanted].sort();
  if (sorted.length < 2) return void wanted.forEach((k) => s.delete(k));
  const found = s.getAllKeys(IDBKeyRange.bound(sorted[0], sorted.at(-1)), 2 * wanted.size);
  found.onsuccess = () => {
    let run: IDBValidKey[] = [];
    const close = () => {
      if (run.length) s.delete(run.length > 1 ? IDBKeyRange.bound(run[0], run.at(-1)) : run[0]!);
      run = [];
    };
    for (const key of found.result) {
      if (wanted.delete(key as string)) run.push(key);
      else close();
    }
    close();
    wanted.forEach((k) => s.delete(k));
  };
}

const startingWith = (prefix: string) => IDBKeyRange.bound(prefix, `${prefix}\uffff`);

function idbKv(store: UseStore): Kv {
  return {
    persistent: true,
    epoch: 0,
    get: (key) => store('readonly', (s) => promisifyRequest(s.get(key))),
    getMany: (keys) => store('readonly', (s) => Promise.all(keys.map((k) => promisifyRequest(s.get(k))))),
    set: (key, value) => store('readwrite', (s) => (s.put(value, key), promisifyRequest(s.transaction))),
    setMany: (entries) =>
      store('readwrite', (s) => {
        for (const [k, v] of entries) s.put(v, k);
        return promisifyRequest(s.transaction);
      }),
    del: (keys) =>
      store('readwrite', (s) => {
        deleteKeys(s, keys);
        return promisifyRequest(s.transaction);
      }),
    delWhere: <T>(keys: string[], remove: (value: T | undefined, key: string) => boolean) =>
      store('readwrite', (s) => {
        const removed: string[] = [];
        // Request callbacks, not awaits: the delete must be queued while the transaction is active.
        for (const k of keys) {
          const request = s.get(k);
          request.onsuccess = () => {
            if (!remove(request.result as T | undefined, k)) return;
            s.delete(k);
            removed.push(k);
          };
        }
        return promisifyRequest(s.transaction).then(() => removed);
      }),
    list: <T>(prefix: string) =>
      store('readonly', async (s) => {
        const range = startingWith(prefix);
        const [keys, values] = await Promise.all([promisifyRequest(s.getAllKeys(range)), promisifyRequest(s.getAll(range))]);
        return keys.map((k, i) => [String(k), values[i] as T] as [string, T]);
      }),
    any: (prefix) => store('readonly', async (s) => (await promisifyRequest(s.getKey(startingWith(prefix)))) !== undefined),
  };
}

/**
 * What a page view reads first, read in the transaction that opens the store (`openKv`): the
 * values of `keys`, and whether any key starts with each of `prefixes`. Each transaction costs
 * the page's main thread about a quarter of a millisecond in Chromium, more than the reads.
 */
export interface ReadAhead {
  keys: readonly string[];
  prefixes: readonly string[];
}

const NOTHING_AHEAD: ReadAhead = { keys: [], prefixes: [] };

/**
 * `kv`, answering the first `get` of each key and the first `any` of each prefix from what was
 * read ahead, until this tab writes anything: so it never reads back less than it wrote. Another
 * tab's write in between is seen as if it came just after, which the visitor state and the
 * outbox allow already.
 */
function readAheadKv(kv: Kv, values: Map<string, unknown>, found: Map<string, unknown>): Kv {
  const first =
    <R>(map: Map<string, unknown>, read: (key: string) => Promise<R>) =>
    async (key: string): Promise<R> => {
      if (!map.has(key)) return read(key);
      const value = map.get(key) as R;
      map.delete(key);
      return value;
    };
  const write =
    <A extends unknown[], R>(op: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      values.clear();
      found.clear();
      return op(...args);
    };
  return {
    ...kv,
    get: first(values, kv.get),
    any: first(found, kv.any),
    set: write(kv.set),
    setMany: write(kv.setMany),
    del: write(kv.del),
    delWhere: write(kv.delWhere),
  } as Kv;
}

/**
 * Opens the one IndexedDB database the widget uses (a single object store; keys are prefixed by
 * purpose), lazily and again whenever the browser closes the connection under us (Safari does in
 * background tabs; another tab deleting the database asks us to close). An operation that fails
 * is retried once on a fresh connection; when that fails too, or IndexedDB is missing or hangs,
 * the store falls back to memory for good and `onFallback` says why, once. `onLost` runs after
 * we closed our connection so another page could delete the database: what this tab still
 * holds can then be written back at once, before a reload would lose it. `ahead` is read in
 * the transaction that opens the store (see `ReadAhead`).
 */
export function openKv(onFallback: (reason: string) => void, onLost: () => void = () => undefined, ahead: ReadAhead = NOTHING_AHEAD): Kv {
  const memory = memoryKv();
  let failed: string | undefined;
  let connection: Promise<Kv> | undefined;
  let epoch = 0;

  const connect = () =>
    (connection ??= (async () => {
      epoch++;
      if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available');
      const store = createStore(DB, 'kv');
      // Only the first connection reads ahead: a later one may come long before its values are read.
      const { keys, prefixes } = ahead;
      ahead = NOTHING_AHEAD;
      const values = new Map<string, unknown>();
      const found = new Map<string, unknown>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const db = await Promise.race([
        store('readonly', async (s) => {
          await Promise.all([
            ...keys.map(async (k) => values.set(k, await promisifyRequest(s.get(k)))),
            ...prefixes.map(async (p) => found.set(p, (await promisifyRequest(s.getKey(startingWith(p)))) !== undefined)),
          ]);
          return s.transaction.db;
        }),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('opening IndexedDB timed out')), OPEN_TIMEOUT_MS))),
      ]).finally(() => clearTimeout(timer));
      const stale = () => {
        connection = undefined;
      };
      db.onversionchange = () => {
        db.close();
        stale();
        // At once: the reopen queues right behind the delete, before a reload can come in between.
        onLost();
      };
      db.onclose = stale;
      return values.size || found.size ? readAheadKv(idbKv(store), values, found) : idbKv(store);
    })());

  const run =
    <A extends unknown[], R>(op: (kv: Kv, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      for (let attempt = 0; !failed && attempt < 2; attempt++) {
        try {
          return await op(await connect(), ...args);
        } catch (error) {
          connection = undefined;
          if (attempt) {
            failed = String(error);
            onFallback(failed);
          }
        }
      }
      return op(memory, ...args);
    };

  return {
    get persistent() {
      return !failed;
    },
    get epoch() {
      return epoch + (failed ? 1 : 0);
    },
    get: run((kv, key: string) => kv.get(key)),
    getMany: run((kv, keys: string[]) => kv.getMany(keys)),
    set: run((kv, key: string, value: unknown) => kv.set(key, value)),
    setMany: run((kv, entries: [string, unknown][]) => kv.setMany(entries)),
    del: run((kv, keys: string[]) => kv.del(keys)),
    delWhere: run((kv, keys: string[], remove: (value: unknown, key: string) => boolean) => kv.delWhere(keys, remove)),
    list: run((kv, prefix: string) => kv.list(prefix)),
    any: run((kv, prefix: string) => kv.any(prefix)),
  } as Kv;
}

/** The store of one `init`, opened on first use: only code that has consent asks for it. */
export interface LazyKv {
  get(): Kv;
  /** True once opened: something may be stored in this browser. */
  readonly opened: boolean;
  /** Calls `fn` each time the connection was closed for another page (`openKv`'s `onLost`); returns the unsubscribe. */
  onLost(fn: () => void): () => void;
}

/**
 * The one store that the config cache, the visitor and the outbox of an `init` share, so the
 * page opens IndexedDB once, and not at all without consent. `ahead`: what they read first, read
 * as the store opens.
 */
export function lazyKv(onFallback: (reason: string) => void, ahead?: ReadAhead): LazyKv {
  let kv: Kv | undefined;
  const lost = new Set<() => void>();
  return {
    get: () => (kv ??= openKv(onFallback, () => lost.forEach((fn) => fn()), ahead)),
    get opened() {
      return !!kv;
    },
    onLost(fn) {
      lost.add(fn);
      return () => void lost.delete(fn);
    },
  };
}
