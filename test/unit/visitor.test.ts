import { describe, expect, it, vi } from 'vitest';
import { openKv, type Kv } from '../../src/storage';
import { createVisitor, VISITOR_KEY } from '../../src/visitor';
import type { VisitorState } from '../../src/eligibility';

/** The store with its writes counted. */
function spiedKv(): Kv & { writes: () => number } {
  const kv = openKv(() => {});
  const set = vi.spyOn(kv, 'set');
  return Object.assign(kv, { writes: () => set.mock.calls.length });
}

/** One page load of the widget on `kv`: its visitor memory, loaded as `start()` loads it. */
async function pageView(kv: Kv, countViewsTo: number, consented = true) {
  const visitor = createVisitor(
    () => kv,
    () => consented,
    countViewsTo,
  );
  await visitor.load();
  return visitor;
}

describe('visitor memory', () => {
  it('counts page views up to the highest pageViews a touchpoint waits for, and writes nothing past it', async () => {
    const kv = spiedKv();
    const seen: number[] = [];
    for (let view = 0; view < 5; view++) seen.push((await pageView(kv, 3)).state.views);
    expect(seen).toEqual([1, 2, 3, 4, 4]);
    expect((await kv.get<VisitorState>(VISITOR_KEY))?.views).toBe(3);
    expect(kv.writes(), 'views 1 to 3 were written, views 4 and 5 were not').toBe(3);
  });

  it('counts a single-page-app navigation while a touchpoint waits for it', async () => {
    const kv = spiedKv();
    const visitor = await pageView(kv, 2);
    await visitor.view();
    await visitor.view();
    expect(visitor.state.views).toBe(3);
    expect((await kv.get<VisitorState>(VISITOR_KEY))?.views).toBe(2);
    expect(kv.writes()).toBe(2);
  });

  it('with no pageViews touchpoint, a page view writes nothing until something is drawn or shown', async () => {
    const kv = spiedKv();
    const first = await pageView(kv, 0);
    expect(kv.writes()).toBe(0);
    await first.roll('a');
    await first.roll('a');
    expect(kv.writes(), 'a roll is drawn once').toBe(1);
    const repeat = await pageView(kv, 0);
    await repeat.roll('a');
    expect(kv.writes()).toBe(1);
    expect(repeat.state.roll.a).toBe(first.state.roll.a);
  });

  it('never lowers a count an earlier config took further', async () => {
    const kv = spiedKv();
    await kv.set(VISITOR_KEY, { views: 7, roll: {}, shown: {}, dismissed: {} });
    const visitor = await pageView(kv, 3);
    expect(visitor.state.views).toBe(8);
    await visitor.shown('a');
    expect((await kv.get<VisitorState>(VISITOR_KEY))?.views).toBe(7);
  });

  it('writes at load what this page drew before there was consent', async () => {
    const kv = spiedKv();
    let consented = false;
    const visitor = createVisitor(
      () => kv,
      () => consented,
      0,
    );
    await visitor.load();
    await visitor.roll('a');
    expect(kv.writes()).toBe(0);
    consented = true;
    await visitor.load();
    expect((await kv.get<VisitorState>(VISITOR_KEY))?.roll.a).toBe(visitor.state.roll.a);
  });
});
