import { assetUrl } from './assets';
import { newImpression } from './answer';
import type { Config, Touchpoint } from './config';
import { forgetConfig } from './configCache';
import { MAX_CONTEXT_KEYS, mergeContext, sanitizeContext, type Context } from './context';
import { showingLock } from './delivery';
import { ineligible } from './eligibility';
import type { Emitter } from './emitter';
import { onIdle } from './idle';
import { loadPrompt } from './loadPrompt';
import { hold } from './lock';
import { debugLog } from './log';
import type { OpenPrompt } from './promptModule';
import { createQueue } from './queue';
import { createReporter } from './reporter';
import type { LazyKv } from './storage';
import { watchTriggers, type Triggers } from './triggers';
import { createVisitor } from './visitor';

/** A running widget: what the public API drives once config is valid. */
export interface Widget {
  start(): Promise<void>;
  trigger(name: string, context?: unknown): Promise<boolean>;
  show(touchpointId: string, context?: unknown): Promise<boolean>;
  identify(userId: string, traits?: unknown): void;
  consent(granted: boolean): Promise<void>;
  flush(): Promise<void>;
  destroy(): void;
}

/**
 * Wires the layers for one config: trigger → eligibility → render (the prompt file) → answer →
 * validate → queue (outbox) → flush → endpoint. UI and transport meet only here. Nothing starts
 * until `start()`; `destroy()` removes every listener, timer and node added since.
 */
export function createWidget(config: Config, emitter: Emitter, store: LazyKv): Widget {
  const debug = (...args: unknown[]) => debugLog(config.debug, ...args);
  const { report, guard, safe } = createReporter(emitter);
  const gpc = config.respectGlobalPrivacyControl && (globalThis.navigator as { globalPrivacyControl?: boolean })?.globalPrivacyControl;
  const queue = createQueue(config, config.consent !== false && !gpc, store, emitter, { report, guard, safe });
  const visitor = createVisitor(queue.kv, () => queue.consented, Math.max(0, ...config.touchpoints.map((t) => t.on?.pageViews ?? 0)));
  const cleanups: (() => void)[] = [];
  let triggers: Triggers | undefined;
  let open: Partial<OpenPrompt> | undefined;
  let destroyed = false;
  let user: string | undefined;
  let traits: Context | undefined;

  const listen = (target: EventTarget, type: string, fn: () => void) => {
    target.addEventListener(type, fn);
    cleanups.push(() => target.removeEventListener(type, fn));
  };
  const contextOf = (where: string, raw: unknown) => {
    const { context, dropped } = sanitizeContext(raw);
    if (dropped.length) debug(`${where}: context keys dropped (not JSON primitives, or more than ${MAX_CONTEXT_KEYS}):`, dropped);
    return context;
  };
  const eligible = (t: Touchpoint) => {
    const why = ineligible(t, config, visitor.state, visitor.shownThisSession, Date.now());
    if (why) debug(`"${t.id}" not shown: ${why}`);
    return !why;
  };

  /** A trigger's conditions hold: show the touchpoint if this visitor is eligible now. */
  const fire = async (t: Touchpoint, context?: Context): Promise<boolean> =>
    (await guard(`touchpoints "${t.id}"`, async () => (await visitor.roll(t.id), eligible(t)) && show(t, context))) ?? false;

  const show = async (t: Touchpoint, context: Context | undefined): Promise<boolean> => {
    if (open) return (debug(`"${t.id}" not shown: another prompt is open`), false);
    const target = config.theme?.target ? document.querySelector(config.theme.target) : document.body;
    if (!target) {
      report({
        path: 'theme.target',
        message: `no element matches "${config.theme?.target}"`,
        fix: 'point it at an element that exists when the touchpoint fires',
      });
      return false;
    }
    const mine: Partial<OpenPrompt> = (open = {});
    const responseId = crypto.randomUUID();
    const release = hold(showingLock(responseId));
    const gone = () => destroyed || open !== mine;
    const showing = { responseId, touchpoint: t.id, stage: t.stage, site: config.site };
    const merged = mergeContext(traits, context);
    if (merged.dropped.length) debug(`identify traits left out of the answer (${MAX_CONTEXT_KEYS} context keys at most):`, merged.dropped);
    const shown = await guard('moodpoint.prompt.js', async () =>
      (await loadPrompt()).openPrompt({
        config,
        touchpoint: t,
        responseId,
        target,
        context: merged.context,
        user,
        localeBase: assetUrl('locales/'),
        cancelled: gone,
        report,
        safe,
        debug,
        onAnswer: (answer) => (void queue.add(answer), emitter.emit('answer', { answer })),
        onDetail: (scored, detail) => void queue.addDetail(scored, detail),
        onDismiss: (answered, steps) => {
          void visitor.dismissed(t.id);
          // Dismissed before any answer: what a response rate counts against its showings.
          if (!answered) void queue.addImpression(newImpression(showing, 'dismissed'));
          emitter.emit('dismiss', { touchpoint: t.id, responseId, answered, steps });
        },
        onComplete: () => emitter.emit('complete', { touchpoint: t.id, responseId }),
        onClose: () => {
          if (open === mine) open = undefined;
          release();
          void queue.flush();
        },
      }),
    );
    if (!shown || gone()) {
      shown?.close();
      if (open === mine) open = undefined;
      release();
      return false;
    }
    mine.close = shown.close;
    void visitor.shown(t.id);
    void queue.addImpression(newImpression(showing, 'shown'));
    debug(`"${t.id}" shown`);
    emitter.emit('show', { touchpoint: t.id, responseId, kinds: shown.kinds });
    return true;
  };

  /** At idle, when a touchpoint may show on this page, the prompt file is loaded ahead, so it appears at once. */
  const prefetch = () =>
    guard('moodpoint.prompt.js', async () => {
      for (const t of config.touchpoints) await visitor.roll(t.id);
      if (!destroyed && config.touchpoints.some((t) => !ineligible(t, config, visitor.state, visitor.shownThisSession, Date.now())))
        await loadPrompt();
    });

  return {
    async start() {
      if (typeof window === 'undefined') return;
      listen(window, 'online', () => void queue.flush());
      // At unload there is no time for IndexedDB or locks: send what this tab knows, with keepalive.
      listen(window, 'pagehide', queue.flushOnUnload);
      listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && queue.flushOnUnload());
      cleanups.push(() => open?.close?.(), queue.stop);
      await guard('visitor', visitor.load);
      if (destroyed) return;
      const t = (triggers = watchTriggers(config.touchpoints, {
        fire,
        views: () => visitor.state.views,
        navigated: () => void guard('visitor', visitor.view),
        problem: (path, message, fix) => report({ path, message, fix }),
      }));
      cleanups.push(
        t.stop,
        onIdle(() => void prefetch()),
      );
      void queue.flush();
    },
    async trigger(name, rawContext) {
      if (destroyed || !triggers) return false;
      const shown = await triggers.event(name, contextOf(`trigger("${name}")`, rawContext));
      if (!shown) debug(`trigger "${name}": nothing shown`);
      return shown;
    },
    async show(id, rawContext) {
      const t = config.touchpoints.find((tp) => tp.id === id);
      if (!t) report({ path: `show("${id}")`, message: 'no touchpoint has this id', fix: 'use an id from config.touchpoints' });
      return !destroyed && !!t && ((await guard(`show("${id}")`, () => show(t, contextOf(`show("${id}")`, rawContext)))) ?? false);
    },
    identify(userId, rawTraits) {
      user = String(userId).slice(0, 128) || undefined;
      traits = sanitizeContext(rawTraits).context;
    },
    async consent(granted) {
      if (granted && queue.consented) return;
      await queue.consent(granted);
      if (granted) return void (await guard('visitor', visitor.load));
      await guard('config cache', () => forgetConfig(store));
      await guard('visitor', () => visitor.forget(queue.opened));
    },
    flush: queue.flush,
    destroy() {
      destroyed = true;
      cleanups.splice(0).forEach((fn) => fn());
    },
  };
}
