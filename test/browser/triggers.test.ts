import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

type Mp = (...args: unknown[]) => Promise<unknown>;
const init = (page: Page, config: object) =>
  page.evaluate((c) => (window as unknown as { moodpoint: Mp }).moodpoint('init', { throttle: { maxPerSession: 10 }, ...c }), config);
const dialogCount = (page: Page) => page.getByRole('dialog').count();
const loaded = (page: Page) =>
  page.waitForFunction(() => typeof (window as unknown as { moodpoint?: { init?: unknown } }).moodpoint?.init === 'function');

/** Event listeners on window, document and navigation, counted through the DevTools protocol. */
async function listenerCounts(cdp: CDPSession): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const expr of ['window', 'document', 'document.documentElement', 'navigation']) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: expr });
    const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
    for (const l of listeners) out[`${expr}:${l.type}`] = (out[`${expr}:${l.type}`] ?? 0) + 1;
  }
  return out;
}

describe('triggers in a real browser', () => {
  it('a url touchpoint shows on the matching single-page-app route only', async () => {
    const { page, pageErrors } = await h.open('/test/spa.html');
    await loaded(page);
    await init(page, { touchpoints: [{ id: 'pricing', prompts: ['emotion'], on: { url: '/test/spa/pricing*' } }] });
    await page.getByRole('link', { name: 'About' }).click();
    await page.waitForTimeout(300);
    expect(await dialogCount(page)).toBe(0);
    await page.getByRole('link', { name: 'Pricing' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'How did this make you feel?' }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/test/spa/pricing');
    expect(pageErrors).toEqual([]);
  });

  it('a click touchpoint works for an element added after init', async () => {
    const { page } = await h.open('/test/spa.html');
    await loaded(page);
    await init(page, { touchpoints: [{ id: 'fb', prompts: ['nps'], on: { click: '.feedback' } }] });
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.className = 'feedback';
      b.textContent = 'Give feedback';
      document.body.append(b);
    });
    await page.getByRole('button', { name: 'Give feedback' }).click();
    await expect.poll(() => dialogCount(page)).toBe(1);
  });

  it('exit intent shows when the pointer leaves through the top of the window', async () => {
    const { page } = await h.open('/test/spa.html');
    await loaded(page);
    await init(page, { touchpoints: [{ id: 'exit', prompts: ['emotion'], on: { exitIntent: true } }] });
    await page.mouse.move(400, 300);
    await page.mouse.move(400, 100, { steps: 4 });
    expect(await dialogCount(page)).toBe(0);
    await page.mouse.move(400, -20, { steps: 4 });
    await expect.poll(() => dialogCount(page)).toBe(1);
  });

  it('a page view that shows nothing and has nothing queued reads no sessionStorage, takes no Web Lock, and a repeat view reads IndexedDB once and writes nothing', async () => {
    const { context, page, pageErrors } = await h.open('/test/spa.html');
    // Counted from the next load on: each first use of these costs the page a synchronous call into the browser.
    await context.addInitScript(() => {
      const touched: string[] = ((window as unknown as { touched: string[] }).touched = []);
      for (const name of ['sessionStorage', 'localStorage'] as const) {
        const d = Object.getOwnPropertyDescriptor(window, name)!;
        Object.defineProperty(window, name, { configurable: true, get: () => (touched.push(name), d.get!.call(window)) });
      }
      const { locks } = navigator;
      for (const m of ['request', 'query'] as const) {
        const f = locks[m].bind(locks) as (...a: unknown[]) => unknown;
        (locks as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => (touched.push(`locks.${m}`), f(...a));
      }
      const open = indexedDB.open.bind(indexedDB);
      indexedDB.open = (...a) => (touched.push('indexedDB.open'), open(...a));
      const transaction = IDBDatabase.prototype.transaction;
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...a: Parameters<IDBDatabase['transaction']>) {
        if (a[1] !== 'versionchange') touched.push(`transaction ${a[1] ?? 'readonly'}`);
        return transaction.apply(this, a);
      };
    });
    const config = { site: 'quiet-view', touchpoints: [{ id: 'later', prompts: ['nps'], on: { event: 'never_sent' } }] };
    for (const view of ['first view', 'repeat view']) {
      await page.reload();
      await loaded(page);
      expect(await init(page, config), view).toBe(true);
      // The eligible touchpoint's prompt file, loaded at idle after the start's flush: the widget has done all it does on a quiet page.
      await page.waitForFunction(() => (window as unknown as Record<symbol, unknown>)[Symbol.for('moodpoint.prompt')]);
      const touched = await page.evaluate(() => (window as unknown as { touched: string[] }).touched);
      // The first view stores the validated config and the sample roll; the repeat view has nothing to store.
      if (view === 'first view')
        expect(
          touched.filter((t) => !t.startsWith('transaction')),
          view,
        ).toEqual(['indexedDB.open']);
      else expect(touched, view).toEqual(['indexedDB.open', 'transaction readonly']);
    }
    expect(pageErrors).toEqual([]);
  });

  it('a prefetched prompt file runs none of its code until it is needed, here for a prompt on a repeat view', async () => {
    const { page, pageErrors } = await h.open('/test/spa.html');
    const config = { site: 'deferred-prompt', touchpoints: [{ id: 'soon', prompts: ['nps'], on: { event: 'soon' } }] };
    // zod, at the top of the prompt file's code, keeps its settings in this global.
    const zodRan = () => page.evaluate(() => '__zod_globalConfig' in globalThis);
    await loaded(page);
    expect(await init(page, config)).toBe(true);
    expect(await zodRan(), 'the first view validates its config').toBe(true);
    await page.reload();
    await loaded(page);
    expect(await init(page, config)).toBe(true);
    await page.waitForFunction(() => typeof (window as unknown as Record<symbol, unknown>)[Symbol.for('moodpoint.prompt')] === 'function');
    expect(await zodRan(), 'prefetched, with the config validated on the view before').toBe(false);
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'soon'));
    await expect.poll(() => dialogCount(page)).toBe(1);
    expect(await zodRan()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('destroy() leaves no widget listeners, hooks or nodes behind', async () => {
    const { page, context, pageErrors } = await h.open('/test/spa.html');
    await loaded(page);
    const cdp = await context.newCDPSession(page);
    const before = await listenerCounts(cdp);
    await init(page, {
      touchpoints: [
        { id: 'a', prompts: ['nps'], on: { click: '.x' } },
        { id: 'b', prompts: ['ces'], on: { url: '/test/spa/pricing', delayMs: 50000 } },
        { id: 'c', prompts: ['emotion'], on: { scrollPercent: 90, exitIntent: true } },
        { id: 'd', prompts: ['nps', 'emotion'], on: { event: 'd' } },
      ],
    });
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'd'));
    await page.getByRole('link', { name: 'Pricing' }).click();
    expect(await listenerCounts(cdp)).not.toEqual(before);
    expect(await page.locator('moodpoint-widget').count()).toBe(1);
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('destroy'));
    expect(await listenerCounts(cdp)).toEqual(before);
    expect(await page.locator('moodpoint-widget').count()).toBe(0);
    expect(await page.evaluate(() => history.pushState.toString().includes('[native code]'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
