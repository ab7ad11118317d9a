import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, startHarness, storedAnswers, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the pasted snippet, in Chromium against the minified build and the reference collector', () => {
  it('replays a trigger made before load; the answer and its comment reach the collector once', async () => {
    const { page, pageErrors } = await h.open('/test/snippet.html');
    const layoutBefore = await page.locator('#content').boundingBox();
    const dialog = page.getByRole('dialog', { name: /recommend Acme/ });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    // The prompt is fixed in the corner: the page's own content does not move.
    expect(await page.locator('#content').boundingBox()).toEqual(layoutBefore);
    const box = await dialog.boundingBox();
    const viewport = page.viewportSize()!;
    expect(viewport.width - (box!.x + box!.width)).toBeLessThan(40);
    expect(viewport.height - (box!.y + box!.height)).toBeLessThan(40);

    await answer(page, 9, 'Fast delivery');
    await expect.poll(() => page.getByRole('dialog', { name: 'Thank you for your feedback!' }).isVisible()).toBe(true);
    await expect.poll(async () => (await storedAnswers(h)).length, { timeout: 10_000 }).toBe(1);
    const [stored] = await storedAnswers(h);
    expect(stored).toMatchObject({
      touchpoint: 'checkout_complete',
      stage: 'purchase',
      kind: 'nps',
      score: 9,
      emotions: [],
      comment: 'Fast delivery',
      context: { orderId: 7 },
      site: 'shop-eu',
      locale: 'en',
      url: `${h.collector.url}/test/snippet.html`,
      v: 1,
    });
    expect(stored!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored!.responseId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(String(stored!.answeredAt)).getTime()).toBeGreaterThan(Date.now() - 60_000);
    // The outbox is empty once the collector acknowledged the answer.
    await expect.poll(() => page.evaluate(countOutbox)).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('keeps an answer given offline across a reload and sends it once, with the same id, when back online', async () => {
    const { context, page, pageErrors } = await h.open('/test/snippet.html');
    const posts: string[] = [];
    // Answer posts only: the showing's impression travels in batches of its own.
    page.on('request', (r) => r.url().endsWith('/api/answers') && r.postData()?.startsWith('{"answers"') && posts.push(r.postData()!));
    // The collector cuts every answer post, as a dead network would; a keepalive send at unload is cut too.
    h.collector.setFault(() => 'drop');
    await answer(page, 3);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.evaluate(countOutbox)).toBe(1);
    await page.reload();
    await expect.poll(() => posts.length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(countOutbox)).toBe(1);
    const id = JSON.parse(posts[0]!).answers[0].id as string;
    const copies = async () => (await storedAnswers(h)).filter((a) => a.id === id);
    expect(await copies()).toEqual([]);

    h.collector.setFault(undefined);
    await context.setOffline(true);
    await context.setOffline(false); // fires `online` in the page
    await expect.poll(async () => (await copies()).length, { timeout: 10_000 }).toBe(1);
    expect((await copies())[0]).toMatchObject({ score: 3, kind: 'nps' });
    // Every attempt, before and after the reload, carried the one id made when the answer was given.
    expect(new Set(posts.map((p) => JSON.parse(p).answers[0].id))).toEqual(new Set([id]));
    await expect.poll(() => page.evaluate(countOutbox)).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('reports an invalid config on the console with its path and throws nothing into the page', async () => {
    const { page, pageErrors, consoleLines } = await h.open('/test/invalid.html');
    await expect
      .poll(() => consoleLines.filter((l) => l.startsWith('error:')))
      .toEqual(['error: [moodpoint] touchpoints[1].prompts[0]: unknown kind "npx". Fix: use one of "nps", "ces", "emotion"']);
    expect(await page.evaluate(() => typeof (window as unknown as { moodpoint: unknown }).moodpoint)).toBe('function');
    expect(
      await page.evaluate(() =>
        (window as unknown as { moodpoint: (...a: unknown[]) => Promise<boolean> }).moodpoint('init', { touchpoints: 5 }),
      ),
    ).toBe(false);
    expect(await page.locator('moodpoint-widget').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});

/** Counts the answers queued in the widget's IndexedDB outbox, impressions left out (runs in the page). */
function countOutbox(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('moodpoint');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('kv')) return resolve(0);
      const records = db.transaction('kv').objectStore('kv').getAll(IDBKeyRange.bound('o:', 'o:\uffff'));
      records.onsuccess = () => {
        resolve(records.result.filter((r: { answer: object }) => !('event' in r.answer)).length);
        db.close();
      };
    };
  });
}
