import { readFileSync } from 'node:fs';
import pixelmatch from 'pixelmatch';
import type { BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, startHarness, storedAnswers, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const STRICT = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; require-trusted-types-for 'script'";
const PAGE = readFileSync(new URL('./pages/secure.html', import.meta.url), 'utf8');
type Seen = { violations: string[]; errors: string[]; rejections: string[] };
type Mp = (...args: unknown[]) => Promise<unknown>;

/** Opens the secure test page with a CSP header, optional extra head markup, and a script run before the widget loads. */
async function open(csp: string, { head = '', before = '' } = {}): Promise<{ page: Page; context: BrowserContext }> {
  const context = await h.browser.newContext();
  await context.route('**/test/secure.html', (route) =>
    route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/html', 'Content-Security-Policy': csp },
      body: PAGE.replace('</head>', `${head}</head>`),
    }),
  );
  if (before) await context.addInitScript(before);
  const page = await context.newPage();
  await page.goto(`${h.collector.url}/test/secure.html`);
  await page.waitForFunction(() => typeof (window as unknown as { moodpoint: { init?: unknown } }).moodpoint.init === 'function');
  return { page, context };
}
const init = (page: Page, config: object) =>
  page.evaluate((c) => (window as unknown as { moodpoint: Mp }).moodpoint('init', { throttle: { maxPerSession: 20 }, ...c }), config);
const seen = (page: Page) => page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);
const tp = (over: object = {}) => ({ id: 'checkout', prompts: ['nps', 'emotion'], on: { event: 'checkout' }, ...over });

describe('strict CSP and Trusted Types', () => {
  it('reports a violation when there is one (the watch works)', async () => {
    const { page, context } = await open(STRICT);
    await page.evaluate(() => document.body.appendChild(document.createElement('div')).setAttribute('style', 'color:red'));
    await expect.poll(async () => (await seen(page)).violations.length).toBeGreaterThan(0);
    await context.close();
  });

  it('shows, answers and sends with zero securitypolicyviolation events', async () => {
    const { page, context } = await open(STRICT);
    expect(await init(page, { touchpoints: [tp()], theme: { accent: '#0f766e', radius: 4 } })).toBe(true);
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'checkout', { orderId: 1 }));
    await answer(page, 8, 'fine');
    await answer(page, 9);
    // The short list is drawn per showing: "More words" shows every word.
    await page.getByRole('button', { name: 'More words' }).click();
    await page.getByRole('button', { name: 'interested' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(async () => (await storedAnswers(h)).filter((a) => (a.context as { orderId?: number })?.orderId === 1).length, {
        timeout: 10_000,
      })
      .toBe(2);
    expect(await seen(page)).toEqual({ violations: [], errors: [], rejections: [] });
    await context.close();
  });

  it('works with a nonce CSP, also where constructable stylesheets are missing', async () => {
    // 'self' covers the page's own stylesheet file; an inline <style> still needs the nonce.
    const csp = "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-r4nd0m'; connect-src 'self'";
    const old = 'delete CSSStyleSheet.prototype.replaceSync;';
    for (const before of ['', old]) {
      const { page, context } = await open(csp, { before });
      await init(page, { touchpoints: [tp()], nonce: 'r4nd0m' });
      await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'checkout'));
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      // Styled: fixed in the corner, not laid out in the page flow.
      expect(await dialog.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
      expect((await seen(page)).violations, `with ${before || 'constructable stylesheets'}`).toEqual([]);
      await context.close();
    }
  });
});

describe('hostile host pages', () => {
  async function dialogShot(page: Page): Promise<PNG> {
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'checkout'));
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.waitForTimeout(300);
    return PNG.sync.read(await dialog.screenshot({ animations: 'disabled' }));
  }

  it('looks the same under reset CSS, a 10px root font, prototype additions and a wrapped fetch', async () => {
    const config = { touchpoints: [tp({ prompts: [{ kind: 'nps', followUp: false }] })], theme: { font: 'sans-serif' } };
    const clean = await open(STRICT);
    await init(clean.page, config);
    const expected = await dialogShot(clean.page);
    await clean.context.close();

    const hostileSetup = `
      Object.defineProperty(Object.prototype, 'polluted', { value: 1, enumerable: true, configurable: true, writable: true });
      Array.prototype.extra = function () {};
      const realFetch = window.fetch;
      window.fetch = function (...args) { return realFetch.apply(this, args); };`;
    const hostile = await open(STRICT.replace("style-src 'self'", "style-src 'self'"), {
      head: '<link rel="stylesheet" href="/test/hostile.css">',
      before: hostileSetup,
    });
    expect(await init(hostile.page, config)).toBe(true);
    const actual = await dialogShot(hostile.page);
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
    const diff = pixelmatch(expected.data, actual.data, undefined, expected.width, expected.height, { threshold: 0.1 });
    expect(diff / (expected.width * expected.height)).toBeLessThan(0.01);
    expect(await seen(hostile.page)).toEqual({ violations: [], errors: [], rejections: [] });
    await hostile.context.close();
  });

  it('sits under a page overlay at the top z-index unless theme.zIndex says otherwise (documented)', async () => {
    for (const [zIndex, onTop] of [
      [undefined, false],
      [2147483647, true],
    ] as const) {
      const { page, context } = await open(STRICT, { head: '<link rel="stylesheet" href="/test/hostile.css">' });
      await init(page, { touchpoints: [tp()], theme: zIndex ? { zIndex } : {} });
      await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'checkout'));
      const box = (await page.getByRole('dialog').boundingBox())!;
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x!, y!)?.tagName,
        [box.x + box.width / 2, box.y + box.height / 2],
      );
      expect(hit === 'MOODPOINT-WIDGET').toBe(onTop);
      await context.close();
    }
  });
});

describe('forced internal failures never reach the host page', () => {
  const sabotage: Record<string, string> = {
    'crypto.randomUUID throws': 'crypto.randomUUID = () => { throw new Error("no uuid"); };',
    'indexedDB.open throws': 'IDBFactory.prototype.open = function () { throw new Error("no idb"); };',
    'fetch throws synchronously': 'window.fetch = function () { throw new Error("no fetch"); };',
    'attachShadow throws': 'Element.prototype.attachShadow = function () { throw new Error("no shadow"); };',
    'Web Locks throw': 'if (navigator.locks) LockManager.prototype.request = function () { throw new Error("no locks"); };',
    'sessionStorage throws': 'Object.defineProperty(window, "sessionStorage", { get() { throw new Error("denied"); } });',
    'an event handler throws': '',
  };
  for (const [name, script] of Object.entries(sabotage)) {
    it(name, async () => {
      const { page, context } = await open(STRICT, { before: script });
      await init(page, { touchpoints: [tp()] });
      await page.evaluate(() => {
        const mp = (window as unknown as { moodpoint: Mp }).moodpoint;
        for (const e of ['show', 'answer', 'dismiss', 'complete', 'sent', 'error'])
          void mp('on', e, () => {
            throw new Error(`handler ${e}`);
          });
        return mp('trigger', 'checkout');
      });
      const radio = page.getByRole('radio', { name: /^9\b/ });
      if (await radio.count()) {
        await radio.click();
        await page.keyboard.press('Escape');
      }
      await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('flush'));
      await page.waitForTimeout(200);
      const { errors, rejections } = await seen(page);
      expect({ errors, rejections }).toEqual({ errors: [], rejections: [] });
      await context.close();
    });
  }
});

describe('config and answer text is only ever text', () => {
  it('renders markup, script URLs and bidi controls as text, creating no element and running nothing', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>javascript:alert(1) \u202Egnp.exe';
    const short = '<img src=x onerror=__pwned=3>\u202E<b>';
    const { page, context } = await open(STRICT);
    expect(
      await init(page, {
        brand: short,
        touchpoints: [
          tp({ prompts: [{ kind: 'nps', question: `${evil} {brand}?`, labels: [short, '<script>x</script>'], followUp: evil }] }),
        ],
      }),
    ).toBe(true);
    await page.evaluate((e) => (window as unknown as { moodpoint: Mp }).moodpoint('trigger', 'checkout', { note: e }), evil);
    const shadowElements = () =>
      page.locator('moodpoint-widget').evaluate((host) => host.shadowRoot!.querySelectorAll('img, script, a, b').length);
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('<img src=x onerror="window.__pwned=1"><script>');
    expect(await page.getByRole('radio', { name: /^0\b/ }).getAttribute('aria-label')).toBe(`0 ${short}`);
    expect(await shadowElements()).toBe(0);
    await answer(page, 2);
    expect(await page.getByText(evil).count()).toBeGreaterThan(0);
    expect(await shadowElements()).toBe(0);
    await page.getByRole('textbox').fill(evil);
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('img, script[src=x]').count()).toBe(0);
    await expect
      .poll(async () => (await storedAnswers(h)).find((a) => a.comment === evil)?.context, { timeout: 10_000 })
      .toEqual({ note: evil });
    expect(await seen(page)).toEqual({ violations: [], errors: [], rejections: [] });
    await context.close();
  });
});
