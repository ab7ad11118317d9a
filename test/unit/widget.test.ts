import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../src/api';
import type { Config } from '../../src/config';
import { prompt } from '../../src/prompt';

const ENDPOINT = 'https://collector.example/api/answers';
/** Bodies of answer posts; impression posts are kept apart in `impressions`. */
let posted: { answers: Record<string, unknown>[] }[];
let impressions: Record<string, unknown>[];

const config = (over: Partial<Config> = {}): Config => ({
  endpoint: ENDPOINT,
  touchpoints: [
    { id: 'checkout', prompts: [{ kind: 'nps', followUp: false }], on: { event: 'checkout' } },
    { id: 'support', prompts: ['ces'], on: { event: 'support' } },
  ],
  ...over,
});

const root = () => document.querySelector('moodpoint-widget')?.shadowRoot ?? null;
const click = (selector: string, index = 0) => root()!.querySelectorAll<HTMLElement>(selector)[index]!.click();
/** A page reload: the widget goes, the browser's storage and session stay. */
const reload = async (c: Config) => {
  api.destroy();
  expect(await api.init(c)).toBe(true);
};

beforeEach(() => {
  posted = [];
  impressions = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_u: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      if (body.impressions) impressions.push(...body.impressions);
      else posted.push(body);
      return new Response('{}');
    }),
  );
});
afterEach(() => {
  api.destroy();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('eligibility across reloads', () => {
  it('remembers the sample roll, so a reload does not re-roll', async () => {
    const c = config({ touchpoints: [{ id: 'checkout', prompts: ['nps'], sample: 0.5, on: { event: 'checkout' } }] });
    vi.spyOn(Math, 'random').mockReturnValue(0.7);
    await api.init(c);
    expect(await api.trigger('checkout')).toBe(false);
    vi.spyOn(Math, 'random').mockReturnValue(0.1);
    await reload(c);
    expect(await api.trigger('checkout')).toBe(false);
  });

  it('keeps cooldownDays across reloads and sessions, then asks again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
    const c = config({ touchpoints: [{ id: 'checkout', prompts: ['nps'], cooldownDays: 30, on: { event: 'checkout' } }] });
    await api.init(c);
    expect(await api.trigger('checkout')).toBe(true);
    click('[aria-label=Close]');
    sessionStorage.clear();
    await reload(c);
    expect(await api.trigger('checkout')).toBe(false);
    vi.setSystemTime(Date.UTC(2026, 0, 31, 1));
    expect(await api.trigger('checkout')).toBe(true);
  });

  it('applies the global throttle across touchpoints', async () => {
    await api.init(config({ throttle: { maxPerSession: 1 } }));
    expect(await api.trigger('checkout')).toBe(true);
    click('[aria-label=Close]');
    expect(await api.trigger('support')).toBe(false);
    await reload(config({ throttle: { maxPerSession: 2 } }));
    expect(await api.trigger('support')).toBe(true);
  });

  it('show() ignores triggers and eligibility', async () => {
    await api.init(config({ touchpoints: [{ id: 'checkout', prompts: ['nps'], sample: 0 }] }));
    expect(await api.trigger('checkout')).toBe(false);
    expect(await api.show('checkout')).toBe(true);
    expect(root()!.querySelector('[role=dialog]')).not.toBeNull();
  });

  it('shows one prompt at a time', async () => {
    await api.init(config({ throttle: { maxPerSession: 5 } }));
    expect(await api.trigger('checkout')).toBe(true);
    expect(await api.trigger('support')).toBe(false);
  });
});

/** The keys the widget's IndexedDB store holds now. */
const storedKeys = () =>
  new Promise<IDBValidKey[]>((resolve) => {
    const open = indexedDB.open('moodpoint');
    open.onsuccess = () => {
      const get = open.result.transaction('kv').objectStore('kv').getAllKeys();
      get.onsuccess = () => (open.result.close(), resolve(get.result));
    };
  });

describe('config cache', () => {
  it('validates a config text once in this browser; a changed text is validated again', async () => {
    const validated = vi.spyOn(prompt, 'validateConfig');
    await api.init(config());
    expect(validated).toHaveBeenCalledTimes(1);
    expect(await storedKeys()).toContain('c:config');
    sessionStorage.clear(); // a new browsing session: the cache is in IndexedDB, so it still counts
    await reload(config());
    expect(validated).toHaveBeenCalledTimes(1);
    expect(await api.trigger('checkout')).toBe(true);
    await reload(config({ throttle: { maxPerSession: 3 } }));
    expect(validated).toHaveBeenCalledTimes(2);
  });

  it('is never read or written for a config that waits for consent, and goes when consent is withdrawn', async () => {
    const validated = vi.spyOn(prompt, 'validateConfig');
    await api.init(config({ consent: false }));
    await reload(config({ consent: false }));
    expect(validated).toHaveBeenCalledTimes(2);
    expect(await indexedDB.databases()).toEqual([]);
    await reload(config());
    expect(await storedKeys()).toContain('c:config');
    await api.consent(false);
    expect(await storedKeys()).not.toContain('c:config');
    await reload(config());
    expect(validated).toHaveBeenCalledTimes(4);
  });

  it('an invalid config is not cached, and is reported again on the next page', async () => {
    const errors: unknown[] = [];
    api.on('error', (e) => errors.push(e));
    const bad = { ...config(), throttle: { maxPerSession: -1 } };
    expect(await api.init(bad)).toBe(false);
    api.destroy();
    api.on('error', (e) => errors.push(e));
    expect(await api.init(bad)).toBe(false);
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatchObject({ path: 'throttle.maxPerSession' });
  });
});

describe('session count', () => {
  it('reads sessionStorage only once this browser was shown a prompt, and keeps maxPerSession across pages', async () => {
    const read = vi.spyOn(sessionStorage, 'getItem');
    await api.init(config());
    await reload(config());
    expect(read).not.toHaveBeenCalled();
    expect(await api.trigger('checkout')).toBe(true);
    click('[aria-label=Close]');
    await reload(config());
    expect(read).toHaveBeenCalledWith('moodpoint:shown');
    expect(await api.trigger('support')).toBe(false);
    sessionStorage.clear();
    await reload(config());
    expect(await api.trigger('support')).toBe(true);
  });
});

describe('consent', () => {
  it('holds storage and sending until consent(true); nothing is written before', async () => {
    await api.init(config({ consent: false }));
    expect(await api.trigger('checkout', { orderId: 1 })).toBe(true);
    click('[role=radio]', 8);
    await vi.waitFor(() => expect(root()).toBeNull(), { timeout: 6000 });
    expect(await indexedDB.databases()).toEqual([]);
    expect(posted).toEqual([]);
    await api.consent(true);
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]!.answers[0]).toMatchObject({ score: 8, context: { orderId: 1 } });
    expect((await indexedDB.databases()).map((d) => d.name)).toEqual(['moodpoint']);
  }, 10_000);

  it('consent(false) drops what was held: a later consent(true) sends only what came after it', async () => {
    const answers: { id: string }[] = [];
    api.on('answer', (e) => answers.push(e.answer));
    await api.init(config({ consent: false, throttle: { maxPerSession: 5 } }));
    expect(await api.trigger('checkout')).toBe(true);
    click('[role=radio]', 3);
    expect(answers).toHaveLength(1);
    click('[aria-label=Close]');
    await api.consent(false);
    await api.consent(true);
    await api.flush();
    expect(posted).toEqual([]);
    expect(await api.trigger('support')).toBe(true);
    click('[role=radio]', 5);
    expect(answers).toHaveLength(2);
    click('[aria-label=Close]');
    await vi.waitFor(() => expect(posted.flatMap((p) => p.answers.map((a) => a.id))).toEqual([answers[1]!.id]));
  });

  it('treats Global Privacy Control as no consent when asked to', async () => {
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { globalPrivacyControl: true }));
    const answers: { id: string }[] = [];
    api.on('answer', (e) => answers.push(e.answer));
    await api.init(config({ respectGlobalPrivacyControl: true }));
    expect(await api.trigger('checkout')).toBe(true);
    click('[role=radio]', 5);
    expect(answers).toHaveLength(1);
    click('[aria-label=Close]');
    await api.flush();
    expect(posted).toEqual([]);
    expect(await indexedDB.databases()).toEqual([]);
    // The visitor says yes after all: what was held in memory is stored and sent.
    await api.consent(true);
    await vi.waitFor(() => expect(posted.flatMap((p) => p.answers.map((a) => a.id))).toEqual([answers[0]!.id]));
  });

  it('withdrawing consent stops sending at once: no retry, nothing at unload, and the queue is deleted unsent', async () => {
    let calls = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => (calls++, new Response(null, { status: 503 }))),
    );
    const answers: { id: string }[] = [];
    api.on('answer', (e) => answers.push(e.answer));
    await api.init(config());
    // Faked from here on, so the retry timer can be run forward; fake-indexeddb uses setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    expect(await api.trigger('checkout')).toBe(true);
    click('[role=radio]', 9);
    click('[aria-label=Close]');
    // The answer's batch and the impression's go out together, and both are refused for now.
    await vi.waitFor(() => expect(calls).toBe(2));
    await api.consent(false);
    window.dispatchEvent(new Event('pagehide'));
    await vi.advanceTimersByTimeAsync(4 * 3_600_000);
    await api.flush();
    expect(calls).toBe(2);
    const kept = await new Promise<unknown>((resolve) => {
      const open = indexedDB.open('moodpoint');
      open.onsuccess = () => {
        const get = open.result.transaction('kv').objectStore('kv').getAllKeys();
        get.onsuccess = () => (open.result.close(), resolve(get.result));
      };
    });
    expect(kept).toEqual([]);
    expect(answers).toHaveLength(1);
  });

  it('commands made before an invalid init settle, each saying why on the console', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const triggered = api.trigger('checkout');
    const flushed = api.flush();
    expect(await api.init({ touchpoints: 'none' })).toBe(false);
    await expect(triggered).resolves.toBe(false);
    await expect(flushed).resolves.toBeUndefined();
    // Later commands settle at once too, until an init succeeds.
    await expect(api.show('checkout')).resolves.toBe(false);
    const lines = errors.mock.calls.map((c) => c.join(' '));
    expect(lines.filter((l) => l.includes('not run: init failed'))).toHaveLength(3);
    expect(lines.some((l) => l.includes('touchpoints: expected array'))).toBe(true);
    expect(await api.init(config())).toBe(true);
    expect(await api.trigger('checkout')).toBe(true);
  });
});

describe('impressions', () => {
  it('a showing sends "shown"; dismissed before any answer also "dismissed"; no user, no context', async () => {
    await api.init(config({ site: 'shop-eu', throttle: { maxPerSession: 5 } }));
    await api.identify('u_1', { plan: 'pro' });
    expect(await api.trigger('checkout', { orderId: 1 })).toBe(true);
    click('[aria-label=Close]');
    expect(await api.trigger('support')).toBe(true);
    click('[role=radio]', 5);
    click('[aria-label=Close]');
    await vi.waitFor(() => expect(impressions).toHaveLength(3));
    const [first, second] = [impressions.filter((i) => i.touchpoint === 'checkout'), impressions.filter((i) => i.touchpoint === 'support')];
    expect(first.map((i) => i.event).sort()).toEqual(['dismissed', 'shown']);
    expect(second.map((i) => i.event)).toEqual(['shown']);
    expect(first[0]).toEqual({
      id: expect.any(String),
      responseId: expect.any(String),
      touchpoint: 'checkout',
      site: 'shop-eu',
      event: expect.any(String),
      at: expect.any(String),
      v: 1,
    });
    expect(posted.flatMap((p) => p.answers.map((a) => a.responseId))).toEqual([second[0]!.responseId]);
  });

  it('none without consent, and none with "impressions": false', async () => {
    await api.init(config({ consent: false }));
    expect(await api.trigger('checkout')).toBe(true);
    click('[aria-label=Close]');
    await api.consent(false);
    api.destroy();
    await api.init(config({ impressions: false }));
    expect(await api.trigger('checkout')).toBe(true);
    click('[role=radio]', 2);
    click('[aria-label=Close]');
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    expect(impressions).toEqual([]);
  });
});

describe('context', () => {
  it('keeps the trigger context first and caps it with identify traits at 20 keys', async () => {
    const answers: { context?: Record<string, unknown> }[] = [];
    api.on('answer', (e) => answers.push(e.answer));
    await api.init(config());
    await api.identify('u_1', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`trait${i}`, i])));
    const context = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`key${i}`, i]));
    expect(await api.trigger('checkout', { ...context, trait0: 'from the trigger' })).toBe(true);
    click('[role=radio]', 7);
    expect(Object.keys(answers[0]!.context!)).toHaveLength(20);
    expect(answers[0]!.context).toMatchObject({ ...context, trait0: 'from the trigger', trait1: 1, trait4: 4 });
    expect(answers[0]!.context).not.toHaveProperty('trait5');
  });
});

describe('events and identify', () => {
  it('emits show, answer, complete and sent with plain payloads; user comes from identify', async () => {
    const seen: [string, unknown][] = [];
    for (const name of ['show', 'answer', 'dismiss', 'complete', 'sent'] as const) api.on(name, (p) => seen.push([name, p]));
    api.on('answer', () => {
      throw new Error('a broken handler');
    });
    await api.init(config());
    await api.identify('u_123', { plan: 'pro' });
    await api.trigger('checkout', { orderId: 7 });
    click('[role=radio]', 10);
    await vi.waitFor(() => expect(seen.map(([n]) => n)).toEqual(['show', 'answer', 'complete', 'sent']), { timeout: 6000 });
    const answer = (seen[1]![1] as { answer: Record<string, unknown> }).answer;
    expect(answer).toMatchObject({ user: 'u_123', context: { plan: 'pro', orderId: 7 }, score: 10 });
    expect(seen[3]![1]).toEqual({ ids: [answer.id], status: 200 });
  }, 10_000);

  it('emits dismiss with how far the person got, and the on() unsubscribe works', async () => {
    const dismissed: unknown[] = [];
    const off = api.on('show', () => dismissed.push('show'));
    api.on('dismiss', (p) => dismissed.push(p));
    off();
    await api.init(config());
    await api.trigger('checkout');
    click('[aria-label=Close]');
    expect(dismissed).toEqual([expect.objectContaining({ touchpoint: 'checkout', answered: 0, steps: 1 })]);
  });

  it('reports an unknown event name instead of throwing', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => api.on('nope' as 'show', () => {})).not.toThrow();
    expect(error.mock.calls[0]!.join(' ')).toContain('on("nope")');
  });
});

describe('destroy', () => {
  it('removes every listener, timer and node it added', async () => {
    const added: [EventTarget, string, unknown][] = [];
    const removed: [EventTarget, string, unknown][] = [];
    for (const target of [window, document]) {
      const add = target.addEventListener.bind(target);
      const remove = target.removeEventListener.bind(target);
      vi.spyOn(target, 'addEventListener').mockImplementation((type, fn, opts) => (added.push([target, type, fn]), add(type, fn, opts)));
      vi.spyOn(target, 'removeEventListener').mockImplementation(
        (type, fn, opts) => (removed.push([target, type, fn]), remove(type, fn, opts)),
      );
    }
    const push = history.pushState;
    await api.init(
      config({
        throttle: { maxPerSession: 5 },
        touchpoints: [
          { id: 'a', prompts: ['nps'], on: { click: '.x' } },
          { id: 'b', prompts: ['nps'], on: { url: '/nowhere', delayMs: 100 } },
          { id: 'c', prompts: ['nps'], on: { scrollPercent: 90 } },
          { id: 'd', prompts: ['emotion'], on: { event: 'd' } },
        ],
      }),
    );
    await api.trigger('d');
    expect(root()).not.toBeNull();
    api.destroy();
    expect(document.querySelector('moodpoint-widget')).toBeNull();
    expect(added.length).toBeGreaterThanOrEqual(5);
    for (const [target, type, fn] of added) expect(removed).toContainEqual([target, type, fn]);
    expect(history.pushState).toBe(push);
  });
});
