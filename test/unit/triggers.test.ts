import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Touchpoint } from '../../src/config';
import { watchTriggers, type TriggerHost, type Triggers } from '../../src/triggers';
import { urlMatches } from '../../src/urlMatch';

let running: Triggers | undefined;
let views = 1;

function start(touchpoints: Touchpoint[]) {
  const host: TriggerHost & { fired: string[] } = {
    fired: [],
    fire: vi.fn(async (t: Touchpoint) => (host.fired.push(t.id), true)),
    views: () => views,
    navigated: vi.fn(() => void views++),
    problem: vi.fn(),
  };
  running = watchTriggers(touchpoints, host);
  return host;
}

const tp = (id: string, on: Touchpoint['on']): Touchpoint => ({ id, prompts: ['nps'], on });
const flushMicrotasks = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  views = 1;
  history.replaceState(null, '', '/');
});
afterEach(() => {
  running?.stop();
  vi.useRealTimers();
  document.body.replaceChildren();
});

describe('triggers', () => {
  it('event: fires the touchpoint whose on.event matches, with its context, or the id without on.event', async () => {
    const host = start([tp('a', { event: 'checkout_complete' }), { id: 'b', prompts: ['nps'] }]);
    expect(await running!.event('checkout_complete', { orderId: 7 })).toBe(true);
    expect(host.fire).toHaveBeenCalledWith(expect.objectContaining({ id: 'a' }), { orderId: 7 });
    expect(await running!.event('b')).toBe(true);
    expect(await running!.event('nothing')).toBe(false);
    expect(host.fired).toEqual(['a', 'b']);
  });

  it('click: one delegated listener, also for elements added after start', async () => {
    const host = start([tp('c', { click: '.feedback' })]);
    const later = document.createElement('button');
    later.className = 'feedback';
    later.innerHTML = '<span>Feedback</span>';
    document.body.append(later);
    later.querySelector('span')!.click();
    document.body.click();
    await flushMicrotasks();
    expect(host.fired).toEqual(['c']);
  });

  it('reports a bad click selector instead of throwing', async () => {
    const host = start([tp('c', { click: '[[[' })]);
    document.body.click();
    await flushMicrotasks();
    expect(host.problem).toHaveBeenCalledWith(
      'touchpoints[0].on.click',
      expect.stringContaining('not a valid CSS selector'),
      expect.any(String),
    );
  });

  it('url: fires on load and on single-page navigation to a matching path, once per page view', async () => {
    const host = start([tp('p', { url: '/pricing*' })]);
    await flushMicrotasks();
    expect(host.fired).toEqual([]);
    history.pushState(null, '', '/pricing/teams');
    await flushMicrotasks();
    expect(host.fired).toEqual(['p']);
    history.replaceState(null, '', '/pricing/teams?x=1');
    history.pushState(null, '', '/about');
    history.pushState(null, '', '/pricing');
    await flushMicrotasks();
    expect(host.fired).toEqual(['p', 'p', 'p']);
    expect(host.navigated).toHaveBeenCalledTimes(4);
  });

  it('restores pushState and replaceState on stop', () => {
    const [push, replace] = [history.pushState, history.replaceState];
    start([tp('p', { url: '/x' })]);
    expect(history.pushState).not.toBe(push);
    running!.stop();
    expect(history.pushState).toBe(push);
    expect(history.replaceState).toBe(replace);
  });

  it('delayMs: waits, re-checks, and is cancelled when the URL stops matching', async () => {
    vi.useFakeTimers();
    const host = start([tp('d', { url: '/thanks', delayMs: 1000 })]);
    history.pushState(null, '', '/thanks');
    await vi.advanceTimersByTimeAsync(999);
    expect(host.fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(host.fired).toEqual(['d']);
    history.pushState(null, '', '/elsewhere');
    history.pushState(null, '', '/thanks');
    await vi.advanceTimersByTimeAsync(500);
    history.pushState(null, '', '/elsewhere');
    await vi.advanceTimersByTimeAsync(5000);
    expect(host.fired).toEqual(['d']);
  });

  it('event + delayMs resolves with the result after the delay', async () => {
    vi.useFakeTimers();
    const host = start([tp('e', { event: 'support_closed', delayMs: 2000 })]);
    const shown = running!.event('support_closed');
    await vi.advanceTimersByTimeAsync(2000);
    expect(await shown).toBe(true);
    expect(host.fired).toEqual(['e']);
  });

  it('scrollPercent: fires once when the page is scrolled that far', async () => {
    // 3000 px of page in a window of innerHeight px: half-way is (3000 - innerHeight) / 2 scrolled.
    Object.defineProperty(document.documentElement, 'scrollHeight', { configurable: true, value: 3000 });
    const half = (3000 - window.innerHeight) / 2;
    const host = start([tp('s', { scrollPercent: 50 })]);
    await flushMicrotasks();
    expect(host.fired).toEqual([]);
    window.scrollY = half - 10;
    window.dispatchEvent(new Event('scroll'));
    await flushMicrotasks();
    expect(host.fired).toEqual([]);
    window.scrollY = half;
    window.dispatchEvent(new Event('scroll'));
    window.scrollY = half + 100;
    window.dispatchEvent(new Event('scroll'));
    await flushMicrotasks();
    expect(host.fired).toEqual(['s']);
  });

  it('exitIntent: the pointer leaving through the top edge, while the other conditions hold', async () => {
    const host = start([tp('x', { exitIntent: true, url: '/pricing' }), tp('y', { exitIntent: true })]);
    document.dispatchEvent(new MouseEvent('mouseout', { clientY: 300, relatedTarget: null }));
    document.dispatchEvent(new MouseEvent('mouseout', { clientY: 0, relatedTarget: null }));
    await flushMicrotasks();
    expect(host.fired).toEqual(['y']);
  });

  it('exitIntent: never on a touch screen, whose pointer has no such moment', async () => {
    const coarse = vi
      .spyOn(window, 'matchMedia')
      .mockImplementation((query) => ({ matches: query === '(pointer: coarse)' }) as MediaQueryList);
    const host = start([tp('y', { exitIntent: true })]);
    document.dispatchEvent(new MouseEvent('mouseout', { clientY: 0, relatedTarget: null }));
    await flushMicrotasks();
    expect(host.fired).toEqual([]);
    coarse.mockRestore();
  });

  it('pageViews: fires once the visitor has seen enough pages', async () => {
    views = 2;
    const host = start([tp('v', { pageViews: 3 })]);
    await flushMicrotasks();
    expect(host.fired).toEqual([]);
    history.pushState(null, '', '/next');
    await flushMicrotasks();
    expect(host.fired).toEqual(['v']);
  });

  it('stops every listener and timer', async () => {
    vi.useFakeTimers();
    const host = start([tp('a', { click: 'button', delayMs: 100 })]);
    const b = document.createElement('button');
    document.body.append(b);
    b.click();
    running!.stop();
    b.click();
    await vi.advanceTimersByTimeAsync(1000);
    expect(host.fired).toEqual([]);
  });
});

describe('urlMatches', () => {
  const u = (s: string) => new URL(s, 'https://shop.example');
  it('matches globs on the path, anchored', () => {
    expect(urlMatches('/pricing*', u('/pricing'))).toBe(true);
    expect(urlMatches('/pricing*', u('/pricing/teams?x=1'))).toBe(true);
    expect(urlMatches('/pricing', u('/pricing/teams'))).toBe(false);
    expect(urlMatches('/p?ge', u('/page'))).toBe(true);
    expect(urlMatches('/a.b', u('/axb'))).toBe(false);
  });
  it('matches the full URL when the pattern starts with http', () => {
    expect(urlMatches('https://shop.example/thanks*', u('/thanks?order=1'))).toBe(true);
    expect(urlMatches('https://other.example/*', u('/thanks'))).toBe(false);
  });
});
