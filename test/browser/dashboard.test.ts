// The journey dashboard in Chromium against the collector: empty state, answers from the demo
// shop arriving live, the seeded before/after comparison with its response-rate warning, trends,
// choice rates, accessibility in light and dark, and the README screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { AUTH, startHarness, TOKEN, type Harness } from './harness';
import { makeAnswer } from '../answers';
import { seedStore } from '../../demo/seed.mjs';

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
/** Every run writes the git-ignored artifact; `UPDATE_SCREENSHOTS=1` also refreshes README's copy. */
const SCREENSHOT = fileURLToPath(new URL('../artifacts/screenshots/dashboard.png', import.meta.url));
const README_SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/dashboard.png', import.meta.url));
const CHANGE_DAY = '2026-10-26';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** axe's WCAG 2.2 AA violations on the page, one line per node. */
async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = { violations: { id: string; nodes: { target: unknown; failureSummary?: string }[] }[] };
    const { axe } = window as unknown as { axe: { run(context: Node, options: object): Promise<Result> } };
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}: ${n.failureSummary}`));
  });
}

const touchpoint = (page: Page, id: string) => page.locator(`article[data-touchpoint="${id}"]`);

/** The dashboard signed in, through the link `moodpoint serve` prints (the token after `#`). */
const signedIn = (path = '') => h.open(`/dashboard/${path}#token=${TOKEN}`);

describe('the journey dashboard', () => {
  it('asks for the read token, refuses a wrong one, and keeps the right one for the tab', async () => {
    const { page, pageErrors } = await h.open('/dashboard/');
    const form = page.getByRole('form', { name: 'Read token' });
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'No answers yet' }).count()).toBe(0);
    expect(await axe(page)).toEqual([]);
    await form.getByLabel('Read token').fill('not-the-read-token-at-all');
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('refused that token');
    expect(await form.isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('moodpoint.readToken'))).toBeNull();

    await form.getByLabel('Read token').fill(TOKEN);
    await page.getByRole('button', { name: 'Open the dashboard' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No answers yet' }).isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: 'No answers yet' }).isVisible()).toBe(true);
    expect(await form.count()).toBe(0);
    // Forgetting it asks again.
    await page.getByRole('button', { name: 'Forget the token' }).click();
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('moodpoint.readToken'))).toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it('says there are no answers yet, then shows answers given in the shop within a few seconds', async () => {
    const { page: dashboard, pageErrors } = await signedIn();
    await expect.poll(() => dashboard.getByRole('heading', { name: 'No answers yet' }).isVisible()).toBe(true);
    // The token left the address bar with the link that brought it.
    expect(new URL(dashboard.url()).hash).toBe('');
    expect(await axe(dashboard)).toEqual([]);

    // A customer closes a support chat in the shop and answers the CES prompt.
    const { page: shop } = await h.open('/support.html');
    await shop.getByRole('button', { name: /close chat/i }).click();
    await expect.poll(() => shop.getByRole('dialog').isVisible()).toBe(true);
    await shop.getByRole('radio', { name: '6 Agree' }).click();
    await shop.getByRole('dialog').getByRole('textbox').fill('Sorted in one go');
    await shop.getByRole('dialog').getByRole('button', { name: 'Send' }).click();
    const sentAt = Date.now();

    const column = touchpoint(dashboard, 'support_closed');
    const ces = column.locator('.metric[data-metric="ces"]');
    await expect.poll(() => ces.locator('.n').textContent(), { timeout: 8_000, interval: 200 }).toBe('n 1');
    expect(Date.now() - sentAt).toBeLessThan(8_000);
    // One answer is below the threshold: no number, "too few answers".
    expect(await ces.locator('.value').textContent()).toBe('–');
    expect(await ces.getByText('too few answers').isVisible()).toBe(true);
    expect(await column.getByText('1 answer ·').isVisible()).toBe(true);
    // The widget's impression counts the showing; one showing is too few for a rate.
    await expect.poll(() => column.locator('.showing-counts').textContent()).toMatch(/shown 1 · answered 1 · dismissed 0/);
    expect(await column.locator('.rate').textContent()).toMatch(/too few showings \(1; 5 needed\)/);
    // The comment, with its score, in the comments table; no "synthetic" mark on a real answer.
    const row = dashboard.getByRole('row', { name: /Sorted in one go/ });
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.getByRole('cell', { name: 'CES 6' }).isVisible()).toBe(true);
    expect(await row.getByText('synthetic').count()).toBe(0);
    // Stages in the demo config's order, left to right.
    const stages = await dashboard.locator('.journey > li h3').allTextContents();
    expect(stages.map((s) => s.split(' ')[0])).toEqual(['browse', 'cart', 'purchase', 'support']);
    const xs = await dashboard.locator('.journey > li').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().x));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);

    // A second answer arrives while the page is open (straight to the API, as another tab would).
    const res = await fetch(`${h.collector.url}/api/answers`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        answers: [
          makeAnswer({
            touchpoint: 'support_closed',
            stage: 'support',
            kind: 'ces',
            score: 4,
            site: 'demo-shop',
            locale: undefined,
            url: undefined,
          }),
        ],
      }),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => ces.locator('.n').textContent(), { timeout: 8_000, interval: 200 }).toBe('n 2');
    // Posted without an impression, as an older widget would: counted as shown, and said so.
    await expect.poll(() => column.locator('[data-without-impression]').getAttribute('data-without-impression')).toBe('1');
    await expect.poll(() => dashboard.getByRole('status').filter({ hasText: 'new answer' }).textContent()).toBe('1 new answer');
    expect(pageErrors).toEqual([]);
  });

  it('marks seeded data and shows the checkout improvement with an interval that excludes zero', async () => {
    const seeded = await seedStore(h.collector.db, { end: '2026-11-23' });
    expect(seeded.changeAt).toBe(`${CHANGE_DAY}T00:00:00.000Z`);
    const { page, pageErrors } = await signedIn();
    await page.setViewportSize({ width: 1280, height: 1000 });
    await expect.poll(() => page.getByText(`Includes ${seeded.answers.length} synthetic answers`).isVisible()).toBe(true);
    expect(await touchpoint(page, 'product_browse').getByText('synthetic').isVisible()).toBe(true);
    // Live answers (from the first test) are counted but not marked: "N synthetic" of the total.
    const all = (await (await fetch(`${h.collector.url}/api/answers`, { headers: AUTH })).json()).answers as {
      touchpoint: string;
      seeded?: true;
    }[];
    const support = all.filter((a) => a.touchpoint === 'support_closed');
    const supportSeeded = support.filter((a) => a.seeded).length;
    expect(supportSeeded).toBe(seeded.answers.filter((a) => a.touchpoint === 'support_closed').length);
    const mark = supportSeeded === support.length ? 'synthetic' : `${supportSeeded} synthetic`;
    expect(await touchpoint(page, 'support_closed').locator('.tag.seeded').textContent()).toBe(mark);

    // Pick the change date in the date picker.
    await page.getByLabel('Compare before/after').fill(CHANGE_DAY);
    const ces = touchpoint(page, 'support_closed').locator('.delta[data-metric="ces"]');
    await expect.poll(() => ces.getAttribute('data-verdict')).toBe('better');
    expect(await ces.getAttribute('data-excludes-zero')).toBe('true');
    const text = (await ces.textContent())!;
    expect(text).toMatch(/Δ \+1\.\d\d \(95% CI \+\d\.\d\d to \+\d\.\d\d\) better/);
    const lower = Number(/CI \+(\d\.\d\d)/.exec(text)![1]);
    expect(lower).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('compareAt')).toBe(CHANGE_DAY);

    // Coloured only when the interval excludes zero: browsing did not change, and stays grey.
    const browse = touchpoint(page, 'product_browse').locator('.delta[data-metric="nev"]');
    expect(await browse.getAttribute('data-verdict')).toBe('no clear change');
    const colour = (el: typeof ces) => el.evaluate((node) => getComputedStyle(node).color);
    expect(await colour(ces)).toBe('rgb(4, 120, 87)');
    expect(await colour(browse)).toBe('rgb(107, 114, 128)');

    // Before/after distributions and the emotion ranking are charts with tables behind them.
    expect(await page.locator('figure.dist canvas[role="img"]').count()).toBe(3);
    expect(
      await page.getByRole('img', { name: /^CES answers \(1–7\): share of answers per score, before and after 2026-10-26/ }).count(),
    ).toBe(1);
    await page.getByText('Table: CES answers (1–7)').click();
    expect(await page.getByRole('table', { name: 'CES answers (1–7)' }).getByRole('columnheader').allTextContents()).toEqual([
      'Score',
      'Before',
      'Before %',
      'After',
      'After %',
    ]);
    expect(await page.getByRole('img', { name: /^Emotion words by choice rate/ }).count()).toBe(1);
    await page.getByText('Table: Emotion words by choice rate').click();
    const words = page.getByRole('table', { name: 'Emotion words by choice rate' });
    expect(await words.getByRole('columnheader').allTextContents()).toEqual(['Word', 'Valence', 'Chosen', 'Offered', 'Rate', '95% CI']);
    expect(await words.getByRole('row', { name: /^happy positive \d+ \d+ \d+% \d+%–\d+%$/ }).count()).toBe(1);
    await page.getByText('Table: Emotion words by choice rate').click();

    // More customers answer at checkout after the redesign: the comparison says its after figures may be other people's.
    const warnings = page.locator('.rate-warnings');
    await expect.poll(() => warnings.getAttribute('data-touchpoints')).toBe('checkout_complete');
    expect(await warnings.textContent()).toMatch(/checkout_complete: \d+% → \d+%\. The after figures may come from different people/);
    const checkoutRate = touchpoint(page, 'checkout_complete').locator('.showings');
    expect(await checkoutRate.getAttribute('data-rate-changed')).toBe('true');
    expect(await checkoutRate.locator('.rate-warning').textContent()).toMatch(
      /changed from \d+% to \d+%: the after figures may come from different people/,
    );
    expect(await touchpoint(page, 'support_closed').locator('.showings').getAttribute('data-rate-changed')).toBe('false');

    // A trend per touchpoint and metric, by ISO week, with the comparison date marked.
    const trends = page.locator('figure.trend');
    expect(await trends.evaluateAll((els) => els.map((el) => el.getAttribute('data-metric')))).toEqual(['nev', 'nev', 'nps', 'nev', 'ces']);
    const supportTrend = page.getByRole('img', { name: /^support_closed: CES per week, \d+ weeks, \d+ with enough answers; latest / });
    expect(await supportTrend.count()).toBe(1);
    await page.getByText('Table: support_closed: CES per week').click();
    const weekly = page.getByRole('table', { name: 'support_closed: CES per week' });
    expect(await weekly.getByRole('columnheader').allTextContents()).toEqual(['Week of', 'n', 'CES', '95% CI']);
    expect(await weekly.getByRole('row', { name: /^Oct 26 \d+ \d\.\d\d \d\.\d\d to \d\.\d\d$/ }).count()).toBe(1);
    await page.getByText('Table: support_closed: CES per week').click();

    // Response rates: overall, and for each touchpoint with its interval (outside compare mode).
    await page.getByRole('button', { name: 'Stop comparing' }).click();
    await expect.poll(() => page.locator('.delta').count()).toBe(0);
    const browseRate = touchpoint(page, 'product_browse').locator('.showings');
    expect(await browseRate.getAttribute('data-enough')).toBe('true');
    expect(await browseRate.locator('.rate').textContent()).toMatch(/^Response rate \d+% \(95% CI \d+%–\d+%\)$/);
    expect(await browseRate.locator('.showing-counts').textContent()).toMatch(/^shown \d+ · answered \d+ · dismissed \d+$/);
    expect(await page.locator('.tile', { hasText: 'Response rate' }).locator('.tile-value').textContent()).toMatch(/^\d+%$/);
    await page.getByLabel('Compare before/after').fill(CHANGE_DAY);
    await expect.poll(() => page.locator('.rate-warnings').count()).toBe(1);

    // One touchpoint's details.
    await page.getByRole('combobox', { name: /^Show/ }).selectOption('support_closed');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Trends, scores, words and comments: support_closed' }).isVisible())
      .toBe(true);
    expect(await page.locator('figure.dist').evaluateAll((els) => els.map((el) => el.getAttribute('data-metric')))).toEqual(['ces']);
    expect(await page.locator('figure.trend').count()).toBe(1);
    await page.getByRole('combobox', { name: /^Show/ }).selectOption('');

    expect(await axe(page)).toEqual([]);
    // Dark: the same checks with the dark palette.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(11, 17, 32)');
    expect(await axe(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);

    // The README's screenshot: the top of the page in compare mode, down to the trends, nothing focused.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await mkdir(fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url)), { recursive: true });
    const bottom = await page.locator('.trends').evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY);
    const shot = await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 24 }, fullPage: true });
    await writeFile(SCREENSHOT, toPalettePng(shot));
    expect((await stat(SCREENSHOT)).size).toBeLessThan(150 * 1024);
    if (process.env.UPDATE_SCREENSHOTS) await copyFile(SCREENSHOT, README_SCREENSHOT);
  });

  it('stops comparing and keeps the filters in the address bar', async () => {
    const { page } = await signedIn(`?compareAt=${CHANGE_DAY}&touchpoint=checkout_complete`);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Trends, scores, words and comments: checkout_complete' }).isVisible())
      .toBe(true);
    expect(await page.getByLabel('Compare before/after').inputValue()).toBe(CHANGE_DAY);
    await expect.poll(() => page.locator('.delta').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop comparing' }).click();
    await expect.poll(() => page.locator('.delta').count()).toBe(0);
    expect(new URL(page.url()).search).toBe('?touchpoint=checkout_complete');
    await page.getByRole('button', { name: `Compare at the seeded change (${CHANGE_DAY})` }).click();
    await expect.poll(() => page.locator('.delta').count()).toBeGreaterThan(0);
  });

  it('shows a filtered-out period as such, not as "no answers yet"', async () => {
    const { page } = await signedIn('?from=2020-01-01&to=2020-01-31');
    await expect.poll(() => page.getByRole('heading', { name: 'No answers match these filters' }).isVisible()).toBe(true);
  });
});

/**
 * Re-encodes Chromium's RGB(A) PNG as a 256-colour palette PNG, so the committed screenshot stays
 * small (about 40% of the size). The palette is the 256 most frequent colours, which in a UI are
 * its flat fills; the rest (anti-aliased text edges) map to the nearest of them.
 */
function toPalettePng(png: Buffer): Buffer {
  const chunks: { type: string; data: Buffer }[] = [];
  for (let off = 8; off < png.length;) {
    const len = png.readUInt32BE(off);
    chunks.push({ type: png.toString('latin1', off + 4, off + 8), data: png.subarray(off + 8, off + 8 + len) });
    off += 12 + len;
  }
  const ihdr = chunks.find((c) => c.type === 'IHDR')!.data;
  const [w, h, bpp] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[9] === 6 ? 4 : 3];
  if (ihdr[8] !== 8 || ihdr[12] !== 0 || (ihdr[9] !== 2 && ihdr[9] !== 6)) throw new Error('expected an 8-bit RGB(A) PNG');
  const raw = zlib.inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  // Undo the per-row filters (PNG spec §9).
  const stride = w * bpp;
  const px = Buffer.alloc(stride * h);
  for (let y = 0; y < h; y += 1) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x += 1) {
      const i = y * stride + x;
      const a = x >= bpp ? px[i - bpp]! : 0;
      const b = y ? px[i - stride]! : 0;
      const c = x >= bpp && y ? px[i - stride - bpp]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      px[i] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 255;
    }
  }
  const key = (i: number) => (px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!;
  const counts = new Map<number, number>();
  for (let i = 0; i < px.length; i += bpp) counts.set(key(i), (counts.get(key(i)) ?? 0) + 1);
  const palette = [...counts]
    .sort((p, q) => q[1] - p[1])
    .slice(0, 256)
    .map(([k]) => k);
  const index = new Map(palette.map((k, i) => [k, i]));
  const nearest = (k: number) => {
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((p, i) => {
      const d = 2 * ((k >> 16) - (p >> 16)) ** 2 + 4 * (((k >> 8) & 255) - ((p >> 8) & 255)) ** 2 + 3 * ((k & 255) - (p & 255)) ** 2;
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    return best;
  };
  const rows = Buffer.alloc((w + 1) * h); // filter byte 0 (none) on each row
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const k = key((y * w + x) * bpp);
      let j = index.get(k);
      if (j === undefined) index.set(k, (j = nearest(k)));
      rows[y * (w + 1) + 1 + x] = j;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    let crc = 0xffffffff;
    for (const byte of typed) crc = crcTable[(crc ^ byte) & 255]! ^ (crc >>> 8);
    const out = Buffer.alloc(typed.length + 8);
    out.writeUInt32BE(data.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, typed.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header[8] = 8;
  header[9] = 3;
  const plte = Buffer.from(palette.flatMap((k) => [k >> 16, (k >> 8) & 255, k & 255]));
  return Buffer.concat([
    png.subarray(0, 8),
    chunk('IHDR', header),
    chunk('PLTE', plte),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
