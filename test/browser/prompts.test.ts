import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, storedAnswers, type Harness } from './harness';
import { EMOTIONS, NEGATIVE_EMOTIONS, POSITIVE_EMOTIONS, type Emotion } from '../../src/emotions';
import { en } from '../../src/locales/en';

/**
 * What people and assistive technology get from each prompt kind (SPEC §7), in Chromium
 * against the minified build: axe in light and dark on desktop and mobile, keyboard-only answers
 * that reach the collector, positions, right-to-left, lazy locales, reduced motion. Screenshots of
 * every case go to test/artifacts/screenshots/.
 */

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const SHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const localeFile = (code: string) =>
  JSON.parse(readFileSync(new URL(`../../src/locales/${code}.json`, import.meta.url), 'utf8')) as Record<string, string>;

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true },
} satisfies Record<string, BrowserContextOptions>;
type Viewport = keyof typeof VIEWPORTS;

type Mp = (...args: unknown[]) => Promise<unknown>;
interface Opened {
  context: BrowserContext;
  page: Page;
  pageErrors: Error[];
  requests: string[];
}

let h: Harness;
const contexts: BrowserContext[] = [];
const pages = {} as Record<Viewport, Opened>;

/** A new context on the prompts page, with the widget loaded and waiting for `init`. */
async function openPage(options: BrowserContextOptions, before?: (page: Page) => Promise<unknown>): Promise<Opened> {
  const context = await h.browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await before?.(page);
  await page.goto(`${h.collector.url}/test/prompts.html`);
  await page.waitForFunction(() => typeof (window as unknown as { moodpoint?: { init?: unknown } }).moodpoint?.init === 'function');
  return { context, page, pageErrors, requests };
}

beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
  pages.desktop = await openPage(VIEWPORTS.desktop);
  pages.mobile = await openPage(VIEWPORTS.mobile);
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await h?.close();
});

interface Show {
  prompts: unknown[];
  id?: string;
  theme?: Record<string, unknown>;
  locale?: string;
}

/**
 * Re-inits the widget inside the page (no reload) and shows one touchpoint, once its entrance
 * animation has finished (axe measures colours, and a fading dialog is pale).
 */
async function show(page: Page, { prompts, id = 't', theme, locale = 'en' }: Show): Promise<void> {
  const shown = await page.evaluate(
    async ({ prompts, id, theme, locale }) => {
      const mp = (window as unknown as { moodpoint: Mp }).moodpoint;
      await mp('destroy');
      if (!(await mp('init', { brand: 'Acme', site: 'prompts', locale, theme, touchpoints: [{ id, stage: 'purchase', prompts }] })))
        return false;
      return mp('show', id);
    },
    { prompts, id, theme, locale },
  );
  expect(shown).toBe(true);
  await settled(page);
}

/** Waits for the prompt's entrance animation to end. */
const settled = (page: Page) =>
  page.evaluate(() =>
    Promise.all(
      document
        .querySelector('moodpoint-widget')
        ?.shadowRoot?.getAnimations()
        .map((a) => a.finished) ?? [],
    ).then(() => {}),
  );

/** axe's WCAG 2.2 AA violations on the whole page, one line per node. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    type Result = { violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[] };
    const { axe } = window as unknown as { axe: { run(context: Node, options: object): Promise<Result> } };
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}: ${n.failureSummary}`));
  }, AXE_TAGS);
}

/** Radios and buttons of the open prompt smaller than 44×44 px, and whether anything scrolls sideways. */
async function mobileProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector('moodpoint-widget')!.shadowRoot!;
    const problems: string[] = [];
    for (const b of root.querySelectorAll('button')) {
      const r = b.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) problems.push(`"${b.getAttribute('aria-label') ?? b.textContent}" is ${r.width}×${r.height}`);
    }
    for (const el of [document.documentElement, ...root.querySelectorAll<HTMLElement>('.mp,.scale')])
      if (el.scrollWidth > el.clientWidth)
        problems.push(`${el.className || el.tagName} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    return problems;
  });
}

/** The deeply focused element (through the shadow root): its name, and whether it is in the prompt. */
function focused(page: Page): Promise<{ name: string; inPrompt: boolean }> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return {
      name: el?.getAttribute('aria-label') ?? (el?.textContent?.trim() || el?.tagName.toLowerCase() || ''),
      inPrompt: el?.getRootNode() !== document,
    };
  });
}

/** Presses Tab until the element named `name` has the focus; fails if it is not reached. */
async function tabTo(page: Page, name: string | RegExp, limit = 30): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (typeof name === 'string' ? f.name === name : name.test(f.name)) return;
    seen.push(f.name);
  }
  throw new Error(`Tab never reached ${String(name)}; went through ${seen.join(' → ')}`);
}

/** The emotion words on screen, once `count` of them are, by their English labels. */
async function wordsShown(page: Page, count: number): Promise<string[]> {
  const words = page.locator('.word[aria-pressed]');
  await expect.poll(() => words.count()).toBe(count);
  return words.allTextContents();
}

const keyOf = (label: string) => EMOTIONS.find((k) => en[k] === label);
const labelsOf = (keys: readonly Emotion[]) => keys.map((k) => en[k]);

async function press(page: Page, ...keys: string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

/** Writes a PNG: on desktop the prompt with a margin, on mobile the whole screen. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0); // no hover left over from a click
  const box = (await page.locator('[role=dialog]').boundingBox())!;
  const vp = page.viewportSize()!;
  if (vp.width < 600) return void (await page.screenshot({ path: `${SHOTS}${name}.png` }));
  const x = Math.max(0, box.x - 24);
  const y = Math.max(0, box.y - 24);
  await page.screenshot({
    path: `${SHOTS}${name}.png`,
    clip: { x, y, width: Math.min(vp.width, box.x + box.width + 24) - x, height: Math.min(vp.height, box.y + box.height + 24) - y },
  });
}

const dialog = (page: Page) => page.getByRole('dialog');
const radio = (page: Page, n: number) => page.getByRole('radio', { name: new RegExp(`^${n}\\b`) });
const waitFor = (page: Page, role: 'textbox' | 'radio' | 'button', name?: string) =>
  expect
    .poll(() =>
      page
        .getByRole(role, name ? { name, exact: true } : {})
        .first()
        .isVisible(),
    )
    .toBe(true);

const KINDS: Record<string, unknown[]> = {
  nps: ['nps'],
  ces7: [{ kind: 'ces', task: 'get my issue resolved' }],
  ces5: [{ kind: 'ces', scale: 5 }],
  emotion: ['emotion'],
  chained: ['nps', 'emotion'],
};

describe('axe: every kind and step, light and dark, desktop and mobile', () => {
  for (const viewport of ['desktop', 'mobile'] as const)
    for (const mode of ['light', 'dark'] as const)
      for (const [kind, prompts] of Object.entries(KINDS))
        it(`${kind}, ${mode}, ${viewport}`, async () => {
          const { page } = pages[viewport];
          const suffix = `${mode}-${viewport}`;
          const check = async (step: string) => {
            expect(await axe(page), `${kind} ${step}`).toEqual([]);
            if (viewport === 'mobile') expect(await mobileProblems(page), `${kind} ${step}`).toEqual([]);
            await shoot(page, `${kind}${step === 'score' ? '' : `-${step}`}-${suffix}`);
          };
          await show(page, { prompts, theme: { mode } });
          await check('score');
          if (kind === 'nps' || kind === 'chained') {
            await radio(page, 9).click();
            await waitFor(page, 'textbox');
            await check('followup');
          }
          if (kind === 'chained') {
            await page.getByRole('button', { name: 'Skip' }).click();
            await expect.poll(() => dialog(page).textContent()).toContain('2 of 2');
            await check('step2');
          }
          if (kind === 'emotion' || kind === 'chained') {
            await radio(page, 8).click();
            await page.getByRole('button', { name: 'More words' }).click();
            // Three picked: the rest are aria-disabled, which must still pass.
            for (const w of ['happy', 'valued', 'stressed']) await page.getByRole('button', { name: w, exact: true }).click();
            await check('words');
            await page.getByRole('button', { name: 'Send' }).click();
            await expect.poll(() => dialog(page).textContent()).toContain('Thank you');
            await check('thanks');
          }
        });
});

describe('keyboard only', () => {
  /** Focus on the page's last control, then the prompt opens: it must not take the focus. */
  async function open(page: Page, id: string, prompts: unknown[]) {
    await page.locator('#feedback').focus();
    await show(page, { id, prompts });
    expect(await focused(page)).toEqual({ name: 'Give feedback', inPrompt: false });
    // The prompt comes last in the document: the next Tab reaches it, Close first, as it is drawn.
    await tabTo(page, 'Close', 1);
  }
  const answersOf = async (id: string) => (await storedAnswers(h)).filter((a) => a.touchpoint === id);

  it('nps: arrows move without answering, Enter answers, Tab to the comment and Send', async () => {
    const { page } = pages.desktop;
    await open(page, 'kb-nps', ['nps']);
    await tabTo(page, '0 Not at all likely', 1);
    await press(page, ...Array(9).fill('ArrowRight'));
    expect(await focused(page)).toEqual({ name: '9', inPrompt: true });
    await page.waitForTimeout(300);
    expect(await answersOf('kb-nps')).toEqual([]);
    await press(page, 'Enter');
    // The scale is gone; the focus moves to the follow-up question rather than to <body>.
    await expect.poll(() => focused(page)).toEqual({ name: 'What is the main reason for your score?', inPrompt: true });
    await tabTo(page, 'textarea', 1);
    await page.keyboard.type('Fast delivery');
    await tabTo(page, 'Send', 2);
    await press(page, 'Enter');
    await expect.poll(() => dialog(page).textContent()).toContain('Thank you');
    // The thank-you keeps the focus on Close; Escape closes it and the focus goes back where it
    // was when the prompt opened, not to <body>.
    await expect.poll(() => focused(page)).toEqual({ name: 'Close', inPrompt: true });
    await press(page, 'Escape');
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await focused(page)).toEqual({ name: 'Give feedback', inPrompt: false });
    await expect.poll(() => answersOf('kb-nps'), { timeout: 10_000 }).toMatchObject([{ kind: 'nps', score: 9, comment: 'Fast delivery' }]);
  });

  it('ces 7-point: End and Home jump, Space answers', async () => {
    const { page } = pages.desktop;
    await open(page, 'kb-ces7', [{ kind: 'ces', followUp: true }]);
    await tabTo(page, '1 Strongly disagree', 1);
    await press(page, 'End', 'ArrowLeft');
    expect((await focused(page)).name).toBe('6 Agree');
    await press(page, 'Space');
    await expect.poll(() => focused(page)).toEqual({ name: 'What is the main reason for your score?', inPrompt: true });
    await tabTo(page, 'Skip', 2);
    await press(page, 'Space');
    await expect.poll(() => answersOf('kb-ces7'), { timeout: 10_000 }).toMatchObject([{ kind: 'ces', score: 6 }]);
  });

  it('ces 5-point: arrows up and down, Enter answers and ends', async () => {
    const { page } = pages.desktop;
    await open(page, 'kb-ces5', [{ kind: 'ces', scale: 5 }]);
    await tabTo(page, '1 Strongly disagree', 1);
    await press(page, 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowUp');
    expect((await focused(page)).name).toBe('3 Neither agree nor disagree');
    await press(page, 'Enter');
    await expect.poll(() => dialog(page).textContent()).toContain('Thank you');
    await expect.poll(() => focused(page)).toEqual({ name: 'Close', inPrompt: true });
    await expect.poll(() => answersOf('kb-ces5'), { timeout: 10_000 }).toMatchObject([{ kind: 'ces', score: 3 }]);
  });

  it('emotion: a score, then words toggled with Space and Enter, More words, Tab to Send', async () => {
    const { page } = pages.desktop;
    await open(page, 'kb-emotion', ['emotion']);
    await tabTo(page, '1 Very bad', 1);
    await press(page, ...Array(7).fill('ArrowRight'), 'Enter');
    // The words step takes the focus on its first word; the score's side comes first, the words
    // and their order are drawn per showing.
    const shown = await wordsShown(page, 8);
    expect(shown.slice(0, 4).every((w) => labelsOf(POSITIVE_EMOTIONS).includes(w))).toBe(true);
    await expect.poll(() => focused(page)).toEqual({ name: shown[0], inPrompt: true });
    await press(page, 'Space');
    await tabTo(page, shown[1]!, 1);
    await press(page, 'Enter');
    await tabTo(page, 'More words');
    await press(page, 'Enter');
    // "More words" is gone: the focus is on the first word it revealed.
    const all = await wordsShown(page, 20);
    expect(all.slice(0, 8)).toEqual(shown);
    await expect.poll(() => focused(page)).toEqual({ name: all[8], inPrompt: true });
    await press(page, 'Space');
    await tabTo(page, 'Send');
    await press(page, 'Enter');
    await expect.poll(() => dialog(page).textContent()).toContain('Thank you');
    await expect
      .poll(
        async () =>
          (await answersOf('kb-emotion')).map((a) => ({ kind: a.kind, score: a.score, emotions: [...(a.emotions as string[])].sort() })),
        { timeout: 10_000 },
      )
      .toEqual([{ kind: 'emotion', score: 8, emotions: [shown[0]!, shown[1]!, all[8]!].map(keyOf).sort() }]);
  });

  it('chained nps then emotion: the second scale takes the focus, Space does not answer twice', async () => {
    const { page } = pages.desktop;
    await open(page, 'kb-chain', ['nps', 'emotion']);
    await tabTo(page, '0 Not at all likely', 1);
    await press(page, 'End', 'Space');
    await expect.poll(() => focused(page)).toEqual({ name: 'What is the main reason for your score?', inPrompt: true });
    await tabTo(page, 'Skip', 2);
    await press(page, 'Enter');
    await expect.poll(() => focused(page)).toEqual({ name: '1 Very bad', inPrompt: true });
    await press(page, 'ArrowRight', 'ArrowRight', 'Space');
    const [first] = await wordsShown(page, 8);
    expect(labelsOf(NEGATIVE_EMOTIONS)).toContain(first);
    await expect.poll(() => focused(page)).toEqual({ name: first, inPrompt: true });
    await press(page, 'Space');
    await tabTo(page, 'Send');
    await press(page, 'Enter');
    await expect.poll(() => dialog(page).textContent()).toContain('Thank you');
    await expect
      .poll(async () => (await answersOf('kb-chain')).map((a) => [a.kind, a.score, a.emotions]).sort(), { timeout: 10_000 })
      .toEqual([
        ['emotion', 3, [keyOf(first!)]],
        ['nps', 10, []],
      ]);
    const ids = new Set((await answersOf('kb-chain')).map((a) => a.responseId));
    expect(ids.size).toBe(1);
  });
});

describe('positions', () => {
  const layout = (page: Page) => Promise.all(['main', '#content', '#feedback'].map((s) => page.locator(s).boundingBox()));

  for (const position of ['bottom-right', 'bottom-left', 'bottom-center'] as const)
    it(`${position} is fixed, does not move the page, and is a full-width bottom sheet at 360 px`, async () => {
      const { page } = pages.desktop;
      await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('destroy'));
      const before = await layout(page);
      await show(page, { prompts: ['nps'], theme: { position } });
      expect(await layout(page)).toEqual(before);
      const box = (await dialog(page).boundingBox())!;
      expect(box.y + box.height).toBeCloseTo(800 - 16, 0);
      if (position === 'bottom-right') expect(box.x + box.width).toBeCloseTo(1280 - 16, 0);
      if (position === 'bottom-left') expect(box.x).toBeCloseTo(16, 0);
      if (position === 'bottom-center') expect(box.x + box.width / 2).toBeCloseTo(640, 0);
      expect(await dialog(page).getAttribute('aria-modal')).toBeNull();

      const m = pages.mobile.page;
      await m.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('destroy'));
      const mobileBefore = await layout(m);
      await show(m, { prompts: ['nps'], theme: { position } });
      expect(await layout(m)).toEqual(mobileBefore);
      expect(await dialog(m).boundingBox()).toMatchObject({ x: 0, width: 360 });
      const sheet = (await dialog(m).boundingBox())!;
      expect(sheet.y + sheet.height).toBeCloseTo(740, 0);
      expect(await mobileProblems(m)).toEqual([]);
      // 0..10 wraps into two rows of targets at least 44 px wide instead of scrolling.
      expect((await radio(m, 0).boundingBox())!.y).toBeLessThan((await radio(m, 10).boundingBox())!.y);
      if (position === 'bottom-right') await shoot(m, 'mobile-nps');
    });

  it('center is a modal: aria-modal, focus taken and trapped, Escape gives it back to the trigger button', async () => {
    const { page } = pages.desktop;
    await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('destroy'));
    const before = await layout(page);
    // A "Give feedback" button opens it, as a site would.
    await page.evaluate(async () => {
      const mp = (window as unknown as { moodpoint: Mp }).moodpoint;
      await mp('init', {
        brand: 'Acme',
        locale: 'en',
        theme: { position: 'center' },
        touchpoints: [{ id: 'modal', prompts: [{ kind: 'ces', followUp: true }] }],
      });
      document.querySelector('#feedback')!.addEventListener('click', () => void mp('show', 'modal'), { once: true });
    });
    await page.locator('#feedback').focus();
    await press(page, 'Enter');
    await expect.poll(() => dialog(page).getAttribute('aria-modal')).toBe('true');
    await settled(page);
    expect(await layout(page)).toEqual(before);
    const box = (await dialog(page).boundingBox())!;
    expect(box.x + box.width / 2).toBeCloseTo(640, 0);
    expect(box.y + box.height / 2).toBeCloseTo(400, 0);
    await expect.poll(() => focused(page)).toEqual({ name: '1 Strongly disagree', inPrompt: true });
    expect(await axe(page)).toEqual([]);
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await press(page, key);
      expect((await focused(page)).inPrompt, key).toBe(true);
    }
    // Arrows move inside a modal too (the focus is not pulled back to the first point).
    await press(page, 'ArrowRight', 'ArrowRight');
    expect((await focused(page)).name).toBe('3 Somewhat disagree');
    await press(page, 'Enter');
    await waitFor(page, 'textbox');
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await press(page, key);
      expect((await focused(page)).inPrompt, key).toBe(true);
    }
    expect(await axe(page)).toEqual([]);
    await shoot(page, 'center-followup-light-desktop');
    await press(page, 'Escape');
    await expect.poll(() => dialog(page).count()).toBe(0);
    expect(await focused(page)).toEqual({ name: 'Give feedback', inPrompt: false });
  });

  it('inline renders inside theme.target, in the flow, not fixed and not modal', async () => {
    for (const { page } of [pages.desktop, pages.mobile]) {
      await show(page, { prompts: ['emotion'], theme: { position: 'inline', target: '#slot' } });
      expect(await page.locator('#slot > moodpoint-widget').count()).toBe(1);
      const slot = (await page.locator('#slot').boundingBox())!;
      const box = (await dialog(page).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(slot.x);
      expect(box.y).toBeGreaterThanOrEqual(slot.y);
      expect(box.x + box.width).toBeLessThanOrEqual(slot.x + slot.width + 0.5);
      expect(await dialog(page).evaluate((el) => getComputedStyle(el).position)).toBe('relative');
      expect(await dialog(page).getAttribute('aria-modal')).toBeNull();
      expect(await axe(page)).toEqual([]);
      await shoot(page, `inline-emotion-light-${page.viewportSize()!.width < 600 ? 'mobile' : 'desktop'}`);
    }
  });
});

describe('right to left', () => {
  const ar = localeFile('ar');

  for (const viewport of ['desktop', 'mobile'] as const)
    it(`Arabic is rtl and mirrors the scale (${viewport})`, async () => {
      const { page } = pages[viewport];
      await show(page, { prompts: ['nps'], locale: 'ar' });
      const d = dialog(page);
      expect(await d.getAttribute('dir')).toBe('rtl');
      expect(await d.getAttribute('lang')).toBe('ar');
      expect(await d.textContent()).toContain(ar.nps!.replace('{brand}', 'Acme'));
      expect(await page.getByRole('button', { name: ar.close }).count()).toBe(1);
      const zero = (await radio(page, 0).boundingBox())!;
      const ten = (await radio(page, 10).boundingBox())!;
      expect(zero.x).toBeGreaterThan(ten.x);
      expect(await axe(page)).toEqual([]);
      if (viewport === 'mobile') expect(await mobileProblems(page)).toEqual([]);
      await shoot(page, `ar-nps-light-${viewport}`);
      // ArrowLeft goes up the scale, as it is drawn.
      await radio(page, 0).focus();
      await press(page, 'ArrowLeft');
      expect((await focused(page)).name).toBe('1');
    });
});

describe('locales load lazily and fall back to English', () => {
  const localeRequests = (o: Opened) => o.requests.filter((p) => p.startsWith('/locales/'));

  it('English needs no request; German fetches de.json and nothing else', async () => {
    const o = await openPage(VIEWPORTS.desktop);
    await show(o.page, { prompts: ['nps'] });
    expect(await dialog(o.page).textContent()).toContain('How likely are you to recommend Acme');
    expect(localeRequests(o)).toEqual([]);
    await show(o.page, { prompts: ['nps'], locale: 'de' });
    expect(await dialog(o.page).getAttribute('lang')).toBe('de');
    expect(await dialog(o.page).textContent()).toContain(localeFile('de').nps!.replace('{brand}', 'Acme'));
    expect(await o.page.getByRole('button', { name: localeFile('de').close }).count()).toBe(1);
    expect(localeRequests(o)).toEqual(['/locales/de.json']);
    expect(o.pageErrors).toEqual([]);
  });

  it('"auto" follows the browser language', async () => {
    const o = await openPage({ ...VIEWPORTS.desktop, locale: 'fr-FR' });
    await show(o.page, { prompts: ['nps'], locale: 'auto' });
    expect(await dialog(o.page).textContent()).toContain(localeFile('fr').nps!.replace('{brand}', 'Acme'));
    expect(localeRequests(o)).toEqual(['/locales/fr.json']);
  });

  it('when de.json cannot load, the prompt still shows, in English', async () => {
    const o = await openPage(VIEWPORTS.desktop, (page) => page.route('**/locales/de.json', (route) => route.abort()));
    await show(o.page, { prompts: ['nps'], locale: 'de' });
    expect(await dialog(o.page).textContent()).toContain('How likely are you to recommend Acme');
    expect(await o.page.getByRole('button', { name: 'Close' }).count()).toBe(1);
    expect(localeRequests(o)).toEqual(['/locales/de.json']);
    expect(o.pageErrors).toEqual([]);
  });
});

describe('motion and colour scheme preferences', () => {
  const animation = (page: Page) => dialog(page).evaluate((el) => getComputedStyle(el).animationName);

  it('no animation with prefers-reduced-motion: reduce', async () => {
    const o = await openPage({ ...VIEWPORTS.desktop, reducedMotion: 'reduce' });
    await show(o.page, { prompts: ['nps'] });
    expect(await animation(o.page)).toBe('none');
    await o.page.emulateMedia({ reducedMotion: 'no-preference' });
    await show(o.page, { prompts: ['nps'] });
    expect(await animation(o.page)).toBe('mp-in');
  });

  it('mode "auto" follows prefers-color-scheme', async () => {
    const o = await openPage({ ...VIEWPORTS.desktop, colorScheme: 'dark' });
    const background = () => dialog(o.page).evaluate((el) => getComputedStyle(el).backgroundColor);
    await show(o.page, { prompts: ['nps'], theme: { mode: 'auto' } });
    expect(await background()).toBe('rgb(31, 41, 55)');
    expect(await axe(o.page)).toEqual([]);
    await o.page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
  });
});

afterAll(() => {
  for (const v of ['desktop', 'mobile'] as const) expect(pages[v]?.pageErrors ?? []).toEqual([]);
});
