// README's recipes in Chromium against the collector: the pages under demo/recipes/, and the
// Next.js and Google Tag Manager snippets taken from README itself, so the two cannot drift.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocksUnder } from '../readme';
import { answer, AUTH, startHarness, storedAnswers, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** Answers the NPS prompt with a comment that names the recipe, and waits for the collector to store it. */
async function answerAndFind(page: Page, comment: string) {
  await expect.poll(() => page.getByRole('dialog', { name: /recommend Acme/ }).isVisible(), { timeout: 10_000 }).toBe(true);
  await answer(page, 9, comment);
  await expect
    .poll(async () => (await storedAnswers(h)).filter((a) => a.comment === comment), { timeout: 10_000 })
    .toEqual([expect.objectContaining({ touchpoint: 'checkout_complete', stage: 'purchase', kind: 'nps', score: 9 })]);
  return (await storedAnswers(h)).find((a) => a.comment === comment)!;
}

/** Runs a piece of HTML the way a tag manager does: each script becomes a new element, so it executes. */
function inject(page: Page, html: string) {
  return page.evaluate((markup) => {
    const template = document.createElement('template');
    template.innerHTML = markup;
    for (const inert of template.content.querySelectorAll('script')) {
      const script = document.createElement('script');
      for (const { name, value } of inert.attributes) script.setAttribute(name, value);
      script.text = inert.text;
      document.body.appendChild(script);
    }
  }, html);
}

describe('recipes', () => {
  it('the collector serves the recipe pages and what their import maps name, and nothing else from node_modules', async () => {
    const status = async (path: string) => (await fetch(`${h.collector.url}${path}`)).status;
    expect(await status('/recipes/react/')).toBe(200);
    expect(await status('/recipes/vendor/zod/mini/index.js')).toBe(200);
    expect(await status('/recipes/vendor/moodpoint/index.js')).toBe(200);
    expect(await status('/recipes/vendor/pg/package.json')).toBe(404);
    expect(await status('/recipes/vendor/zod/%2e%2e/pg/package.json')).toBe(404);
  });

  it('plain HTML: the Quick start page asks after "Place order", and the answer is in the collector and its CSV', async () => {
    const { page, pageErrors } = await h.open('/recipes/plain/');
    await page.getByRole('button', { name: 'Place order' }).click();
    const stored = await answerAndFind(page, 'plain recipe');
    expect(stored.context).toEqual({ orderId: 7, orderValue: 42 });
    const csv = await (await fetch(`${h.collector.url}/api/answers.csv`, { headers: AUTH })).text();
    expect(csv.split('\r\n').find((line) => line.startsWith(`${stored.id},`))).toContain('plain recipe');
    expect(pageErrors).toEqual([]);
  });

  it('React: the no-build page (StrictMode, init in an effect) asks on the thank-you view', async () => {
    const { page, pageErrors } = await h.open('/recipes/react/');
    await page.getByRole('button', { name: 'Place order' }).click();
    await expect.poll(() => page.getByText('Order #7 is on its way').isVisible()).toBe(true);
    expect((await answerAndFind(page, 'react recipe')).context).toEqual({ orderId: 7, orderValue: 42 });
    expect(pageErrors).toEqual([]);
  });

  it('Vue: the no-build page asks when the thank-you view mounts', async () => {
    const { page, pageErrors } = await h.open('/recipes/vue/');
    await page.getByRole('button', { name: 'Place order' }).click();
    expect((await answerAndFind(page, 'vue recipe')).context).toEqual({ orderId: 7, orderValue: 42 });
    expect(pageErrors).toEqual([]);
  });

  it('Next.js and Google Tag Manager: the pages the recipes index links ask after "Place order"', async () => {
    for (const [path, comment, context] of [
      ['/recipes/nextjs/', 'next page', { orderId: 7, orderValue: 42 }],
      ['/recipes/gtm/', 'gtm page', { orderId: 'T-1001', orderValue: 42.5 }],
    ] as const) {
      const { page, pageErrors } = await h.open(path);
      await page.getByRole('button', { name: 'Place order' }).click();
      expect((await answerAndFind(page, comment)).context, path).toEqual(context);
      expect(pageErrors, path).toEqual([]);
    }
  });

  it("Next.js: the stub first, a trigger from an effect, then the script appended as next/script's afterInteractive does", async () => {
    const [layout] = readmeBlocksUnder('Next.js', 'jsx');
    const stub = /strategy="beforeInteractive">\s*\{`([^`]+)`\}/.exec(layout!)![1]!;
    const tag = /<Script (src="[^"]+" strategy="afterInteractive"[^>]*?)\/>/s.exec(layout!)![1]!;
    const attributes: Record<string, string> = Object.fromEntries(
      [...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name!, value!]),
    );
    expect(attributes).toMatchObject({ src: '/moodpoint.min.js', 'data-endpoint': expect.any(String), 'data-config': '/moodpoint.json' });
    const { page, pageErrors } = await h.open('/recipes/');
    await page.evaluate(stub);
    await page.evaluate(() =>
      (window as unknown as { moodpoint: (...a: unknown[]) => void }).moodpoint('trigger', 'checkout_complete', {
        orderId: 7,
        orderValue: 42,
      }),
    );
    // next/script keeps `strategy` for itself and puts every other prop on the element.
    const props: Record<string, string> = {
      ...attributes,
      'data-endpoint': `${h.collector.url}/api/answers`,
      'data-config': '/recipes/moodpoint.json',
    };
    delete props.strategy;
    await page.evaluate((props) => {
      const script = document.createElement('script');
      for (const [name, value] of Object.entries(props)) script.setAttribute(name, value);
      document.body.appendChild(script);
    }, props);
    expect((await answerAndFind(page, 'next recipe')).context).toEqual({ orderId: 7, orderValue: 42 });
    expect(pageErrors).toEqual([]);
  });

  it('Google Tag Manager: the two Custom HTML tags, injected as GTM injects them', async () => {
    const [loader, onPurchase] = readmeBlocksUnder('Google Tag Manager', 'html');
    const filled = (html: string) =>
      html
        .replace('https://cdn.example.com/moodpoint.min.js', `${h.collector.url}/moodpoint.min.js`)
        .replace('https://cdn.example.com/moodpoint.json', `${h.collector.url}/recipes/moodpoint.json`)
        .replace('https://collector.example.com/api/answers', `${h.collector.url}/api/answers`)
        .replace('{{DLV - transaction_id}}', '"T-1001"')
        .replace('{{DLV - value}}', '42.5');
    const { page, pageErrors } = await h.open('/recipes/');
    await inject(page, filled(loader!));
    await inject(page, filled(onPurchase!));
    expect((await answerAndFind(page, 'gtm recipe')).context).toEqual({ orderId: 'T-1001', orderValue: 42.5 });
    expect(pageErrors).toEqual([]);
  });
});
