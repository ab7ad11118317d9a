import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, startHarness, storedAnswers, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the demo shop', () => {
  it('asks NPS then feeling after an order is placed; both answers appear in GET /api/answers', async () => {
    const { page, pageErrors } = await h.open('/');
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    // No prompt along the way: only the order placed touchpoint asks.
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/thanks/);
    const dialog = page.getByRole('dialog', { name: /recommend Moodpoint Demo Shop/ });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await answer(page, 10, 'Smooth checkout');
    await expect.poll(() => page.getByRole('dialog', { name: /2 of 2 How did this make you feel/ }).isVisible()).toBe(true);
    await answer(page, 9);
    // The short list is drawn per showing: "More words" shows every word.
    await page.getByRole('button', { name: 'More words' }).click();
    await page.getByRole('button', { name: 'interested' }).click();
    await page.getByRole('button', { name: 'energetic' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await storedAnswers(h)).length, { timeout: 10_000 }).toBe(2);
    const [nps, emotion] = await storedAnswers(h);
    expect(nps).toMatchObject({
      touchpoint: 'checkout_complete',
      stage: 'purchase',
      site: 'demo-shop',
      kind: 'nps',
      score: 10,
      comment: 'Smooth checkout',
    });
    expect(nps!.context).toMatchObject({ orderId: expect.any(Number), orderValue: expect.any(Number) });
    expect(emotion).toMatchObject({ kind: 'emotion', score: 9, emotions: ['interested', 'energetic'], responseId: nps!.responseId });
    expect(pageErrors).toEqual([]);
  });

  it('asks CES when a support chat is closed', async () => {
    const { page } = await h.open('/support.html');
    await page.getByRole('button', { name: /close chat/i }).click();
    const dialog = page.getByRole('dialog', { name: 'Moodpoint Demo Shop made it easy for me to get my issue resolved.' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.getByRole('radio', { name: '6 Agree' }).click();
    await dialog.getByRole('textbox').fill('Quick answer');
    await dialog.getByRole('button', { name: 'Send', exact: true }).click();
    await expect
      .poll(async () => (await storedAnswers(h)).filter((a) => a.kind === 'ces'), { timeout: 10_000 })
      .toEqual([expect.objectContaining({ touchpoint: 'support_closed', stage: 'support', score: 6, comment: 'Quick answer' })]);
  });
});
