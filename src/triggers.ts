import type { Touchpoint } from './config';
import type { Context } from './context';
import { urlMatches } from './urlMatch';

/** What the trigger layer needs from the orchestrator. */
export interface TriggerHost {
  /** A touchpoint's conditions hold: check eligibility and show. */
  fire(t: Touchpoint, context?: Context): Promise<boolean>;
  /** This visitor's page views so far. */
  views(): number;
  /** A single-page-app navigation happened (counts as a page view). */
  navigated(): void;
  problem(path: string, message: string, fix: string): void;
}

/** Running triggers: feed `trigger()` calls in with `event`, and `stop` to remove every listener, timer and hook. */
export interface Triggers {
  event(name: string, context?: Context): Promise<boolean>;
  stop(): void;
}

const momentary = (t: Touchpoint) => !!(t.on?.event || t.on?.click || t.on?.exitIntent);

/** How far down the page has been scrolled: 0 at the top, 100 at the bottom (or when nothing scrolls). */
function scrolledPercent(): number {
  const doc = document.documentElement;
  const room = doc.scrollHeight - innerHeight;
  return room <= 0 ? 100 : (scrollY / room) * 100;
}

/**
 * Watches the `on` conditions of every touchpoint (SPEC §3). `event`, `click` and `exitIntent`
 * are moments; `url`, `pageViews` and `scrollPercent` are states that must hold at that moment
 * (a touchpoint with no moment fires once per page view when its states start to hold).
 * `delayMs` waits after that, and is cancelled when the URL stops matching.
 */
export function watchTriggers(touchpoints: readonly Touchpoint[], host: TriggerHost): Triggers {
  const offs: (() => void)[] = [];
  let stopped = false;
  const timers = new Map<Touchpoint, ReturnType<typeof setTimeout>>();
  const scrolled = new Set<Touchpoint>();
  const firedThisView = new Set<Touchpoint>();
  const listen = (target: EventTarget, type: string, fn: (e: Event) => void, opts: AddEventListenerOptions = {}) => {
    target.addEventListener(type, fn, opts);
    offs.push(() => target.removeEventListener(type, fn, opts));
  };

  const states = (t: Touchpoint) =>
    (!t.on?.url || urlMatches(t.on.url, new URL(location.href))) &&
    host.views() >= (t.on?.pageViews ?? 0) &&
    (t.on?.scrollPercent === undefined || scrolled.has(t));

  const go = (t: Touchpoint, context?: Context): Promise<boolean> => {
    if (stopped || !states(t)) return Promise.resolve(false);
    const delay = t.on?.delayMs;
    if (!delay) return host.fire(t, context);
    clearTimeout(timers.get(t));
    return new Promise((resolve) =>
      timers.set(
        t,
        setTimeout(() => {
          timers.delete(t);
          resolve(states(t) ? host.fire(t, context) : false);
        }, delay),
      ),
    );
  };

  const check = () => {
    if (stopped) return;
    for (const [t, timer] of timers) {
      if (states(t)) continue;
      clearTimeout(timer);
      timers.delete(t);
    }
    for (const t of touchpoints) {
      if (!t.on || momentary(t) || firedThisView.has(t) || !states(t)) continue;
      firedThisView.add(t);
      void go(t);
    }
  };

  const onNavigate = () => {
    scrolled.clear();
    firedThisView.clear();
    host.navigated();
    check();
  };

  if (touchpoints.some((t) => t.on?.url || t.on?.pageViews)) {
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (nav) listen(nav, 'currententrychange', onNavigate);
    else {
      // No Navigation API: popstate plus a hook on pushState/replaceState, undone by stop().
      listen(window, 'popstate', onNavigate);
      for (const name of ['pushState', 'replaceState'] as const) {
        const original = history[name];
        let active = true;
        const hooked = function (this: History, ...args: Parameters<History['pushState']>) {
          original.apply(this, args);
          if (active) onNavigate();
        };
        history[name] = hooked;
        offs.push(() => {
          active = false;
          if (history[name] === hooked) history[name] = original;
        });
      }
    }
  }

  const scrollers = touchpoints.filter((t) => t.on?.scrollPercent !== undefined);
  if (scrollers.length)
    listen(
      window,
      'scroll',
      () => {
        const pct = scrolledPercent();
        const reached = scrollers.filter((t) => !scrolled.has(t) && pct >= t.on!.scrollPercent!);
        reached.forEach((t) => scrolled.add(t));
        if (reached.length) check();
      },
      { passive: true },
    );

  const clickers = touchpoints.filter((t) => t.on?.click);
  if (clickers.length)
    listen(
      document,
      'click',
      (e) => {
        const target = e.composedPath()[0];
        for (const t of clickers) {
          try {
            if (target instanceof Element && target.closest(t.on!.click!)) void go(t);
          } catch {
            host.problem(
              `touchpoints[${touchpoints.indexOf(t)}].on.click`,
              `"${t.on!.click}" is not a valid CSS selector`,
              'use a selector that document.querySelector accepts',
            );
          }
        }
      },
      { capture: true },
    );

  const leavers = touchpoints.filter((t) => t.on?.exitIntent);
  // Exit intent is the pointer leaving through the top edge: desktop only, touch screens have no
  // such moment. The media query is asked then, not at start: its first use costs a page view time.
  if (leavers.length)
    listen(document, 'mouseout', (e) => {
      const m = e as MouseEvent;
      if (!m.relatedTarget && m.clientY <= 0 && !matchMedia('(pointer: coarse)').matches) for (const t of leavers) void go(t);
    });

  const waitForLoad = () => check();
  if (document.readyState === 'loading') listen(document, 'DOMContentLoaded', waitForLoad);
  else queueMicrotask(waitForLoad);

  return {
    async event(name, context) {
      const matching = touchpoints.filter((t) => t.on?.event === name || (t.id === name && !t.on?.event));
      const shown = await Promise.all(matching.map((t) => go(t, context)));
      return shown.includes(true);
    },
    stop() {
      stopped = true;
      offs.splice(0).forEach((off) => off());
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
    },
  };
}
