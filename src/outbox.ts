import type { Answer, Impression } from './answer';
import type { Kv } from './storage';

/** What the outbox holds: answers, and the impressions that let response rates be reported. */
export type Queued = Answer | Impression;

/** True for an impression record. */
export const isImpression = (q: Queued): q is Impression => 'event' in q;

/** When a queued record was made. */
export const madeAt = (q: Queued): string => (isImpression(q) ? q.at : q.answeredAt);

/**
 * A record waiting for an acknowledgement. `rev` grows with every change of content, so an
 * acknowledgement of an older copy cannot remove newer data; `attempts` counts failed sends. The
 * field is called `answer` for impressions too: outboxes written by earlier versions read as they are.
 */
export interface OutboxRecord {
  answer: Queued;
  rev: number;
  attempts?: number;
}

/** Limits of the outbox; what goes over them is evicted, oldest first, and reported. */
export interface OutboxLimits {
  maxAnswers: number;
  maxAgeDays: number;
  onEvict(records: Queued[], reason: string): void;
}

/** The durable queue of unacknowledged answers. */
export interface Outbox {
  add(record: Queued): Promise<void>;
  /** Every queued record, oldest answer first; also refreshes `known`. */
  all(): Promise<OutboxRecord[]>;
  /** Records this tab has seen, readable synchronously (for sends at page unload). */
  known(): OutboxRecord[];
  /** True when nothing is queued, in this tab or in storage; reads no record. */
  empty(): Promise<boolean>;
  /** Merges fields into a queued answer; false when it is no longer queued. */
  patch(id: string, fields: Partial<Answer>): Promise<boolean>;
  /**
   * Removes the records a 2xx acknowledged, unless they changed since they were sent. `unchanged`:
   * the caller has held the outbox lock across tabs since it read them, so no tab can have changed
   * them and they are deleted without being read again (a read costs as much as the delete).
   */
  ack(sent: readonly OutboxRecord[], unchanged?: boolean): Promise<void>;
  /** Counts a failed attempt for each record. */
  failed(records: readonly OutboxRecord[]): Promise<void>;
  /** Removes rejected answers for good, keeping only their count (the dead letters). */
  reject(ids: readonly string[]): Promise<number>;
  /** Deletes every queued answer and the dead-letter count, unsent (consent withdrawn). */
  clear(): Promise<void>;
}

/** The prefix of every outbox key. */
export const OUTBOX_PREFIX = 'o:';
const DEAD = 'd:count';

/**
 * Where a new record is stored: answers and impressions apart, each in time order, so a batch
 * (made oldest first) is one run of keys that storage deletes in one request once acknowledged.
 * Outboxes written by earlier versions hold `o:<id>`, which is still read, sent and deleted.
 */
export const outboxKey = (q: Queued): string => `${OUTBOX_PREFIX}${isImpression(q) ? 'impression' : 'answer'}/${madeAt(q)}/${q.id}`;
const DAY = 86_400_000;
/** An answer only expires after this many failed sends too, so a clock jumping ahead cannot expire fresh answers. */
const MIN_ATTEMPTS_TO_EXPIRE = 3;

/** Oldest first, ids apart the ties: the order of the keys. */
const byTime = (a: OutboxRecord, b: OutboxRecord) => {
  const [x, y] = [madeAt(a.answer), madeAt(b.answer)];
  return x === y ? (a.answer.id < b.answer.id ? -1 : 1) : x < y ? -1 : 1;
};

/** Creates the outbox on top of the widget's key-value store. */
export function createOutbox(kv: Kv, limits: OutboxLimits): Outbox {
  const cache = new Map<string, OutboxRecord>();
  /** The storage epoch each cached record was last written in. */
  const written = new Map<string, number>();
  /** Each known record's key: a record keeps the key it was first stored under. */
  const keys = new Map<string, string>();
  const keyOf = (id: string) => keys.get(id) ?? OUTBOX_PREFIX + id;
  const forget = (id: string) => (cache.delete(id), written.delete(id), keys.delete(id));
  let loaded = false;
  const put = async (...records: OutboxRecord[]) => {
    for (const r of records) {
      cache.set(r.answer.id, r);
      if (!keys.has(r.answer.id)) keys.set(r.answer.id, outboxKey(r.answer));
    }
    // The epoch from before the write: if storage is lost while it is under way, the record
    // counts as written to the lost store and is written again, rather than taken as acknowledged.
    const epoch = kv.epoch;
    await kv.setMany(records.map((r) => [keyOf(r.answer.id), r]));
    for (const r of records) written.set(r.answer.id, epoch);
  };
  /** After storage was lost, writes back what this tab still holds, so a deleted database loses nothing queued here. */
  const heal = async () => {
    const lost = [...cache.values()].filter((r) => written.get(r.answer.id) !== kv.epoch);
    if (lost.length) await put(...lost);
  };
  const remove = async (ids: readonly string[]) => {
    const gone = ids.map(keyOf);
    ids.forEach(forget);
    await kv.del(gone);
  };
  const evict = async (records: OutboxRecord[], reason: string) => {
    if (!records.length) return;
    await remove(records.map((r) => r.answer.id));
    limits.onEvict(
      records.map((r) => r.answer),
      reason,
    );
  };
  /** What is stored now for each record, read in one transaction (this tab's copy if storage lost it). */
  const current = async (records: readonly OutboxRecord[]) =>
    (await kv.getMany<OutboxRecord>(records.map((r) => keyOf(r.answer.id)))).map((r, i) => r ?? cache.get(records[i]!.answer.id));

  const all = async () => {
    const listed = await kv.list<OutboxRecord>(OUTBOX_PREFIX);
    const stored = new Map(listed.map(([, r]) => [r.answer.id, r]));
    const lost: OutboxRecord[] = [];
    for (const [id, r] of cache) {
      if (stored.has(id)) continue;
      // Written before storage was lost (database deleted, connection dropped, fall back to
      // memory): write it again rather than lose it. Otherwise another tab acknowledged it.
      if (written.get(id) !== kv.epoch) lost.push(r);
      else forget(id);
    }
    if (lost.length) await put(...lost);
    for (const [key, r] of listed) {
      cache.set(r.answer.id, r);
      written.set(r.answer.id, kv.epoch);
      keys.set(r.answer.id, key);
    }
    loaded = true;
    const oldest = Date.now() - limits.maxAgeDays * DAY;
    await evict(
      [...cache.values()].filter((r) => Date.parse(madeAt(r.answer)) < oldest && (r.attempts ?? 0) >= MIN_ATTEMPTS_TO_EXPIRE),
      `older than ${limits.maxAgeDays} days ("outbox.maxAgeDays")`,
    );
    return [...cache.values()].sort(byTime);
  };

  return {
    async add(record) {
      if (!loaded) await all();
      await put({ answer: record, rev: 0 });
      await heal();
      if (cache.size > limits.maxAnswers)
        await evict(
          [...cache.values()].sort(byTime).slice(0, cache.size - limits.maxAnswers),
          `more than ${limits.maxAnswers} records queued ("outbox.maxAnswers")`,
        );
    },
    all,
    known: () => [...cache.values()].sort(byTime),
    empty: async () => !cache.size && !(await kv.any(OUTBOX_PREFIX)),
    async patch(id, fields) {
      const r = (await kv.get<OutboxRecord>(keyOf(id))) ?? cache.get(id);
      if (!r) return false;
      await put({ ...r, answer: { ...(r.answer as Answer), ...fields }, rev: r.rev + 1 });
      return true;
    },
    async ack(sent, unchanged = false) {
      if (unchanged) return remove(sent.map((s) => s.answer.id));
      const byKey = new Map(sent.map((s) => [keyOf(s.answer.id), s]));
      // Storage that lost a record leaves this tab's copy to decide whether it changed since it was sent.
      const removed = await kv.delWhere<OutboxRecord>([...byKey.keys()], (stored, key) => {
        const { answer, rev } = byKey.get(key)!;
        const now = stored ?? cache.get(answer.id);
        return !now || now.rev === rev;
      });
      for (const key of removed) forget(byKey.get(key)!.answer.id);
    },
    async failed(records) {
      const now = (await current(records)).filter((r): r is OutboxRecord => !!r);
      if (now.length) await put(...now.map((r) => ({ ...r, attempts: (r.attempts ?? 0) + 1 })));
    },
    async clear() {
      const stored = (await kv.list<OutboxRecord>(OUTBOX_PREFIX)).map(([key]) => key);
      const held = [...cache.keys()];
      const gone = [...new Set([...stored, ...held.map(keyOf)])];
      held.forEach(forget);
      await kv.del([...gone, DEAD]);
    },
    async reject(ids) {
      await remove(ids);
      const count = ((await kv.get<number>(DEAD)) ?? 0) + ids.length;
      await kv.set(DEAD, count);
      return count;
    },
  };
}
