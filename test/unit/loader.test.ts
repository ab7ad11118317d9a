import { afterEach, describe, expect, it, vi } from 'vitest';

type Cmd = ((...args: unknown[]) => unknown) & { q?: unknown[][]; trigger?: unknown };
const w = window as unknown as { moodpoint?: Cmd };

const config = {
  endpoint: 'https://collector.example/api/answers',
  touchpoints: [{ id: 'checkout_complete', prompts: ['nps'], on: { event: 'checkout_complete' } }],
};

async function loadScript() {
  vi.resetModules();
  await import('../../src/loader');
}

afterEach(() => {
  w.moodpoint?.('destroy');
  delete w.moodpoint;
  document.body.replaceChildren();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('script-tag loader', () => {
  it('replays calls queued before load, in order, then exposes methods', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}')),
    );
    const seen: string[] = [];
    // The SPEC §2 stub, as pasted into <head>.
    w.moodpoint = function (...args: unknown[]) {
      (w.moodpoint!.q = w.moodpoint!.q || []).push(args);
    } as Cmd;
    w.moodpoint('on', 'show', (e: { touchpoint: string }) => seen.push(`show ${e.touchpoint}`));
    w.moodpoint('trigger', 'checkout_complete', { orderId: 7 });
    w.moodpoint('init', config);
    await loadScript();
    await vi.waitFor(() => expect(seen).toEqual(['show checkout_complete']));
    expect(document.querySelector('moodpoint-widget')!.shadowRoot!.querySelector('[role=dialog]')).not.toBeNull();
    expect(typeof w.moodpoint!.trigger).toBe('function');
  });

  it('reports an invalid config with its path and stays inert, throwing nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    w.moodpoint = Object.assign((...args: unknown[]) => void (w.moodpoint!.q ??= []).push(args), {}) as Cmd;
    w.moodpoint('init', { ...config, touchpoints: [{ id: 'x', prompts: ['npx'] }] });
    await loadScript();
    await vi.waitFor(() => expect(errors).toHaveBeenCalled());
    expect(errors.mock.calls[0]!.join(' ')).toContain('touchpoints[0].prompts[0]: unknown kind "npx"');
    expect(await w.moodpoint!('init', 'garbage')).toBe(false);
    expect(() => w.moodpoint!('no-such-command')).not.toThrow();
    expect(errors.mock.calls.at(-1)!.join(' ')).toContain('moodpoint("no-such-command"): unknown command');
    expect(document.querySelector('moodpoint-widget')).toBeNull();
  });

  it('an answer goes to the outbox before it is sent, with the SPEC §4 fields', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const bodies: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_u: string, init: RequestInit) => {
        await gate;
        const body = JSON.parse(String(init.body));
        if (body.answers) bodies.push(body);
        return new Response('{}');
      }),
    );
    await loadScript();
    const answers: unknown[] = [];
    w.moodpoint!('on', 'answer', (e: { answer: unknown }) => answers.push(e.answer));
    w.moodpoint!('identify', 'u_123');
    await w.moodpoint!('init', { ...config, site: 'shop-eu' });
    expect(await w.moodpoint!('trigger', 'checkout_complete', { orderValue: 42, bad: () => 1 })).toBe(true);
    const root = document.querySelector('moodpoint-widget')!.shadowRoot!;
    root.querySelectorAll<HTMLElement>('[role=radio]')[9]!.click();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    expect(answers[0]).toMatchObject({
      touchpoint: 'checkout_complete',
      kind: 'nps',
      score: 9,
      context: { orderValue: 42 },
      site: 'shop-eu',
      locale: 'en',
      v: 1,
      emotions: [],
    });
    // Dismiss after scoring: the score is kept and sent.
    root.querySelector<HTMLElement>('[aria-label=Close]')!.click();
    release();
    await vi.waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ answers: [answers[0]] });
  });
});
