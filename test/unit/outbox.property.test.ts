import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Answer } from '../../src/answer';
import { createDelivery, type Delivery } from '../../src/delivery';
import { createOutbox, type Outbox } from '../../src/outbox';
import { openKv } from '../../src/storage';
import { makeAnswer } from '../answers';

/** What the endpoint does with one request. `crash` stores the batch, then the tab dies before it sees the 2xx. */
const OUTCOMES = ['200', '500', '429', '400', '413', 'network', 'timeout', 'crash'] as const;
type Outcome = (typeof OUTCOMES)[number];

type Step = { kind: 'enqueue'; tab: 0 | 1 } | { kind: 'flush'; tab: 0 | 1; outcomes: Outcome[] } | { kind: 'restart'; tab: 0 | 1 };

const tab = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('enqueue' as const), tab }), weight: 4 },
  {
    arbitrary: fc.record({
      kind: fc.constant('flush' as const),
      tab,
      outcomes: fc.array(fc.constantFrom(...OUTCOMES), { minLength: 1, maxLength: 4 }),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('restart' as const), tab }), weight: 1 },
);

interface Tab {
  outbox: Outbox;
  delivery: Delivery;
}

/**
 * Runs one sequence against the real outbox and delivery over a fresh fake IndexedDB shared by
 * two tabs, and checks the delivery invariant of SPEC §5 on the model it keeps.
 */
async function run(steps: Step[]) {
  globalThis.indexedDB = new IDBFactory();
  const submitted = new Map<string, Answer>();
  const stored = new Map<string, Answer>();
  const rejected = new Set<string>();
  const evicted = new Set<string>();
  const acknowledged = new Set<string>();
  let wire = 0;
  let planned: Outcome[] = [];
  let crashed: (() => void) | undefined;
  let onCrash = () => {};

  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const { answers } = JSON.parse(String(init.body)) as { answers: Answer[] };
      wire += answers.length;
      const outcome = planned.shift() ?? '200';
      const store = () => answers.forEach((a) => (stored.has(a.id) ? expect(stored.get(a.id)).toEqual(a) : stored.set(a.id, a)));
      switch (outcome) {
        case '200':
          store();
          return new Response('{}', { status: 200 });
        case 'crash':
          store();
          onCrash();
          // The response never reaches the page: the tab is gone.
          return new Promise<Response>((_, reject) => (crashed = () => reject(new TypeError('tab closed'))));
        case '413':
          if (answers.length > 1) return new Response(null, { status: 413 });
          store();
          return new Response('{}', { status: 200 });
        case 'network':
          throw new TypeError('Failed to fetch');
        case 'timeout':
          throw new DOMException('signal timed out', 'TimeoutError');
        default:
          return new Response(null, { status: Number(outcome), headers: outcome === '429' ? { 'Retry-After': '1' } : {} });
      }
    }),
  );

  const open = (): Tab => {
    const outbox = createOutbox(
      openKv(() => {}),
      { maxAnswers: 1000, maxAgeDays: 30, onEvict: (a) => a.forEach((x) => evicted.add(x.id)) },
    );
    const delivery = createDelivery(
      outbox,
      'https://c.example/api/answers',
      { contentType: 'text/plain;charset=UTF-8' },
      {
        // The page has seen the 2xx and removed the answers.
        sent: (answers) => answers.forEach((a) => acknowledged.add(a.id)),
        rejected: (answers) => answers.forEach((a) => rejected.add(a.id)),
        debug: () => {},
      },
    );
    return { outbox, delivery };
  };
  const tabs: Tab[] = [open(), open()];

  for (const s of steps) {
    const t = tabs[s.tab]!;
    if (s.kind === 'enqueue') {
      const a = makeAnswer({ answeredAt: new Date(Date.now() + submitted.size).toISOString() });
      submitted.set(a.id, a);
      await t.outbox.add(a);
    } else if (s.kind === 'flush') {
      planned = [...s.outcomes];
      const crash = new Promise<void>((r) => (onCrash = r));
      const flushing = t.delivery.flush();
      // A crash leaves that flush hanging: the tab is replaced, then the old request fails.
      await Promise.race([flushing, crash]);
      if (crashed) {
        t.delivery.stop();
        tabs[s.tab] = open();
        crashed();
        crashed = undefined;
        await flushing;
      }
      planned = [];
    } else {
      t.delivery.stop();
      tabs[s.tab] = open();
    }
    // Invariant at every step: each answer is stored at the endpoint, still queued, rejected or evicted.
    const queued = new Set((await open().outbox.all()).map((r) => r.answer.id));
    for (const id of submitted.keys())
      expect(stored.has(id) || queued.has(id) || rejected.has(id) || evicted.has(id), `answer ${id} lost after ${JSON.stringify(s)}`).toBe(
        true,
      );
    // Once the page saw its 2xx, an answer never returns to the queue (storage is not lost in this model).
    for (const id of acknowledged) expect(queued.has(id), `acknowledged answer ${id} queued again after ${JSON.stringify(s)}`).toBe(false);
  }

  // Back online for good: everything left is delivered, each id stored once with its content.
  tabs.forEach((t) => t.delivery.stop());
  await open().delivery.flush();
  for (const [id, a] of submitted) {
    if (rejected.has(id) || evicted.has(id)) continue;
    expect(stored.get(id)).toEqual(a);
  }
  expect(await open().outbox.all()).toEqual([]);
  return { submitted: submitted.size, stored: stored.size, wire, rejected: rejected.size };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('outbox under random faults (model-based, fast-check)', () => {
  it('loses no answer and stores none twice, whatever the endpoint, crashes and tabs do', async () => {
    // Retry timers never fire on their own, so every run is the same for its seed.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const totals = { runs: 0, submitted: 0, stored: 0, wire: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const r = await run(steps);
        totals.runs++;
        totals.submitted += r.submitted;
        totals.stored += r.stored;
        totals.wire += r.wire;
        totals.rejected += r.rejected;
      }),
      { seed: Number(process.env.FC_SEED ?? 20261123), numRuns: Number(process.env.FC_RUNS ?? 60) },
    );
    console.info('outbox property runs:', totals);
    expect(totals.runs).toBeGreaterThan(0);
  }, 120_000);
});
