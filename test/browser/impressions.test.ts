// Impressions end to end, in Chromium with the minified build against the reference collector:
// a prompt closed unanswered leaves a 'dismissed' impression at the collector, and an answered
// showing counts as answered in /api/report's response rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { answer, AUTH, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

type Mp = (...args: unknown[]) => Promise<unknown>;

/** Shows the test touchpoint once more (a new showing, with its own responseId). */
async function showAgain(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { moodpoint: Mp }).moodpoint('show', 'rr'))).toBe(true);
  await expect.poll(() => page.getByRole('dialog', { name: /recommend/ }).isVisible()).toBe(true);
}

const read = async (path: string) => (await (await fetch(`${h.collector.url}${path}`, { headers: AUTH })).json()) as any;

describe('impressions at the collector', () => {
  it('records a dismissed showing as dismissed and an answered one as answered in the report', async () => {
    // Its own site, so nothing else in this collector counts.
    const site = `impressions-${crypto.randomUUID().slice(0, 8)}`;
    const { page, pageErrors } = await h.open('/test/prompts.html');
    await page.waitForFunction(() => typeof (window as unknown as { moodpoint?: { init?: unknown } }).moodpoint?.init === 'function');
    const started = await page.evaluate(
      (site) =>
        (window as unknown as { moodpoint: Mp }).moodpoint('init', {
          brand: 'Acme',
          site,
          touchpoints: [{ id: 'rr', stage: 'purchase', prompts: ['nps'] }],
        }),
      site,
    );
    expect(started).toBe(true);
    const impressions = async () => (await read(`/api/impressions?site=${site}`)).impressions as Record<string, string>[];

    // First showing: closed without an answer.
    await showAgain(page);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await impressions()).map((i) => i.event).sort(), { timeout: 10_000 }).toEqual(['dismissed', 'shown']);
    const [first] = await impressions();
    const dismissed = (await impressions()).find((i) => i.event === 'dismissed')!;
    expect(dismissed).toMatchObject({ touchpoint: 'rr', stage: 'purchase', site, responseId: first!.responseId, v: 1 });
    expect(dismissed).not.toHaveProperty('user');
    expect(dismissed).not.toHaveProperty('context');

    // Second showing: answered, then closed; an answered showing sends no 'dismissed'.
    await showAgain(page);
    await answer(page, 9);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(async () => (await impressions()).length, { timeout: 10_000 }).toBe(3);
    const second = (await impressions()).filter((i) => i.responseId !== first!.responseId);
    expect(second.map((i) => i.event)).toEqual(['shown']);

    // The report: two showings, one answered and one dismissed, a rate of 1 in 2 (too few showings to show).
    await expect
      .poll(async () => {
        const report = await read(`/api/report?site=${site}`);
        const tp = report.stages.flatMap((s: any) => s.touchpoints).find((t: any) => t.touchpoint === 'rr');
        return (
          tp && { shown: tp.shown, answered: tp.answered, dismissed: tp.dismissed, missing: tp.withoutImpression, rr: tp.responseRate }
        );
      })
      .toEqual({ shown: 2, answered: 1, dismissed: 1, missing: 0, rr: { n: 2, rate: 0.5, ci95: expect.any(Array), enough: false } });
    const answers = (await read(`/api/answers?site=${site}`)).answers as Record<string, unknown>[];
    expect(answers).toEqual([expect.objectContaining({ kind: 'nps', score: 9, responseId: second[0]!.responseId })]);
    expect(pageErrors).toEqual([]);
  });
});
