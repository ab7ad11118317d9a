// The React and Vue recipes (demo/recipes/), run with the real frameworks: the browser pages map
// "react" to preact/compat to run without a bundler, so real React's StrictMode is checked here.
import { act, createElement, StrictMode, useEffect, type FunctionComponent } from 'react';
import { createRoot } from 'react-dom/client';
import { createApp, type Component, type Plugin } from 'vue';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../src/index';

// The recipes import the package by name; here that is the source, so the test needs no build.
vi.mock('moodpoint', () => import('../../src/index'));

/** The recipes are plain JS modules (no build step); their shapes, as the tests use them. */
const react = (await import('../../demo/recipes/react/app.js' as string)) as {
  App: FunctionComponent;
  OrderPlaced: FunctionComponent<{ order: { id: number; total: number } }>;
  config: object;
};
const vue = (await import('../../demo/recipes/vue/app.js' as string)) as { App: Component; config: object; moodpoint: Plugin<[object]> };

const widget = () => document.querySelector('moodpoint-widget');
const dialog = () => widget()?.shadowRoot?.querySelector('[role=dialog]') ?? null;
const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent === name)!;

let container: HTMLElement;
beforeEach(() => {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response('{}')),
  );
  container = document.body.appendChild(document.createElement('div'));
});
afterEach(() => {
  api.destroy();
  container.remove();
  vi.unstubAllGlobals();
});

describe('the React recipe under real React 19', () => {
  beforeEach(() => vi.stubGlobal('IS_REACT_ACT_ENVIRONMENT', true));

  it('asks after the order is placed, through StrictMode mounting the app twice, and leaves nothing behind on unmount', async () => {
    const root = createRoot(container);
    // StrictMode runs the effect, its cleanup, then the effect again: init, destroy, init.
    await act(async () => root.render(createElement(StrictMode, null, createElement(react.App))));
    await act(async () => button('Place order').click());
    await vi.waitFor(() => expect(dialog()?.textContent).toMatch(/recommend Acme/));
    expect(container.textContent).toContain('Order #7');
    await act(async () => root.unmount());
    expect(widget()).toBeNull();
  });

  it('asks when the thank-you view is the first one rendered: its effect runs before the app starts the widget', async () => {
    /** README's App with the thank-you route showing at once (a reload of that page). */
    function LandedOnThanks() {
      useEffect(() => {
        void api.init(react.config);
        return () => api.destroy();
      }, []);
      return createElement(react.OrderPlaced, { order: { id: 8, total: 10 } });
    }
    const root = createRoot(container);
    await act(async () => root.render(createElement(StrictMode, null, createElement(LandedOnThanks))));
    await vi.waitFor(() => expect(dialog()?.textContent).toMatch(/recommend Acme/));
    await act(async () => root.unmount());
  });
});

describe('the Vue recipe under real Vue 3', () => {
  it('asks when the thank-you view mounts, and app.unmount() removes the widget', async () => {
    const app = createApp(vue.App).use(vue.moodpoint, vue.config);
    app.mount(container);
    button('Place order').click();
    await vi.waitFor(() => expect(dialog()?.textContent).toMatch(/recommend Acme/));
    expect(container.textContent).toContain('Order #7');
    app.unmount();
    expect(widget()).toBeNull();
  });
});

describe('init and destroy in quick succession', () => {
  const config = { endpoint: 'https://collector.example/api/answers', touchpoints: [{ id: 'checkout', prompts: ['nps' as const] }] };

  it('a destroy while init is still starting leaves the next init in charge (StrictMode, hot reload)', async () => {
    const early = api.trigger('checkout');
    const first = api.init(config);
    api.destroy();
    const second = api.init(config);
    expect(await early).toBe(false);
    expect(await first).toBe(false);
    expect(await second).toBe(true);
    expect(await api.trigger('checkout')).toBe(true);
  });
});
