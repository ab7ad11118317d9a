import type { Config } from './config';
import { cachedConfig, CONFIG_KEY, rememberConfig } from './configCache';
import { createEmitter, EVENT_NAMES, type Emitter, type EventName, type Handler } from './emitter';
import { whenIdle } from './idle';
import { loadPrompt } from './loadPrompt';
import { debugLog, logProblem, type Problem } from './log';
import { OUTBOX_PREFIX } from './outbox';
import { lazyKv, type LazyKv, type ReadAhead } from './storage';
import { VISITOR_KEY } from './visitor';
import { createWidget, type Widget } from './widget';

let emitter: Emitter | undefined;
let widget: Widget | undefined;
/** The `init` under way; a newer one, or `destroy()`, replaces it. */
let starting: object | undefined;
/** Set when the last `init` failed: commands then settle at once instead of waiting for a widget that will not come. */
let failed = false;
let debug = false;
let ready: Promise<Widget | undefined> | undefined;
let resolveReady: ((w: Widget | undefined) => void) | undefined;

const FIX = 'please report this with the console output';

/** What every page view with storage reads first (the config cache, the visitor, whether anything is queued): one transaction. */
const READ_AHEAD: ReadAhead = { keys: [CONFIG_KEY, VISITOR_KEY], prefixes: [OUTBOX_PREFIX] };

const events = () =>
  (emitter ??= createEmitter((name, error) => debugLog(debug, `a "${name}" handler threw (the widget carries on):`, error)));

/**
 * Resolves with the widget once `init` has succeeded; commands made earlier wait for it. Resolves
 * `undefined` when `init` fails or `destroy()` comes first, so those commands settle instead of waiting forever.
 */
const whenReady = () => (ready ??= new Promise<Widget | undefined>((resolve) => (resolveReady = resolve)));

const settle = (w: Widget | undefined) => {
  resolveReady?.(w);
  if (!w) ready = resolveReady = undefined;
};

/**
 * Runs a command on the widget once `init` has succeeded. Whatever fails inside is reported on
 * the console and resolves `fallback`: a command never rejects into the host page.
 */
async function command<T>(name: string, fallback: T, run: (w: Widget) => T | Promise<T>): Promise<T> {
  try {
    const w = widget && !starting ? widget : failed && !starting ? undefined : await whenReady();
    if (w) return await run(w);
    if (failed)
      logProblem({
        path: name,
        message: 'not run: init failed (its problems are listed above)',
        fix: 'correct the config, then call init again',
      });
    return fallback;
  } catch (error) {
    logProblem({ path: name, message: `failed: ${String(error)}`, fix: FIX });
    return fallback;
  }
}

/** Marks an `init` as failed: the commands waiting for it settle, each with a console line saying why. */
function fail(problems: Problem[]): false {
  for (const problem of problems) {
    logProblem(problem);
    events().emit('error', problem);
  }
  failed = true;
  settle(undefined);
  return false;
}

/**
 * True when a config, before validation, allows storage from the start: only then may the config
 * cache open the store (opening IndexedDB already stores something).
 */
function storesAtOnce(input: unknown): boolean {
  const plain = (input && typeof input === 'object' ? input : {}) as { consent?: unknown; respectGlobalPrivacyControl?: unknown };
  return (plain.consent === undefined || plain.consent === true) && plain.respectGlobalPrivacyControl !== true;
}

/**
 * A valid config: the same config text validated before in this browser (no zod at all on most
 * page views), or validated now by the prompt file, at idle, a part at a time.
 */
async function check(input: unknown, store: LazyKv): Promise<{ config?: Config; problems: Problem[] }> {
  const cacheable = storesAtOnce(input);
  const cached = cacheable ? await cachedConfig(store.get(), input) : undefined;
  if (cached) return { config: cached, problems: [] };
  await whenIdle();
  const result = await (await loadPrompt()).validateConfig(input);
  if (!result.ok) return { problems: result.problems };
  if (cacheable) await rememberConfig(store.get(), input);
  return { config: result.value, problems: [] };
}

/**
 * Starts the widget with a config (SPEC §3). Invalid config is reported on the console, one line
 * per problem with its path and a fix, and as `error` events; the widget then stays inert and
 * waiting commands settle. Resolves `true` once running.
 */
export async function init(config: unknown): Promise<boolean> {
  const mine = {};
  try {
    if (widget || starting) {
      logProblem({ path: 'init', message: 'the widget is already running', fix: 'call destroy() before init() again' });
      return false;
    }
    starting = mine;
    failed = false;
    // The config cache may open the store before the config is validated: its own `debug` decides then.
    const verbose = !!config && typeof config === 'object' && (config as { debug?: unknown }).debug === true;
    const store = lazyKv((reason) => debugLog(debug || verbose, `storage is in memory only (${reason})`), READ_AHEAD);
    const { config: cfg, problems } = await check(config, store);
    // destroy() ran meanwhile (React's StrictMode mounts, unmounts and mounts again): a later init is in charge.
    if (starting !== mine) return false;
    if (!cfg) return fail(problems);
    debug = !!cfg.debug;
    if (!cfg.endpoint)
      logProblem({
        path: 'endpoint',
        message: 'is missing, so answers are kept but not sent',
        fix: 'add data-endpoint to the script tag or "endpoint" to the config',
      });
    const w = createWidget(cfg, events(), store);
    widget = w;
    await w.start();
    if (widget !== w) return false;
    starting = undefined;
    settle(w);
    return true;
  } catch (error) {
    if (starting !== mine) return false;
    starting = widget = undefined;
    return fail([{ path: 'init', message: `failed: ${String(error)}`, fix: FIX }]);
  } finally {
    if (starting === mine && !widget) starting = undefined;
  }
}

/** Tells the commands waiting for `init` that it will not come: the script tag's config could not be loaded. */
export function initFailed(problem: Problem): void {
  if (!widget && !starting) fail([problem]);
}

/**
 * Fires the touchpoints that listen for `name` (their `on.event`, or their id when they have no
 * `on.event`), with a context copied into the answers. Their other conditions and eligibility
 * still apply. Resolves `true` when a prompt was shown.
 */
export function trigger(name: string, context?: Record<string, unknown>): Promise<boolean> {
  return command(`trigger("${String(name)}")`, false, (w) => w.trigger(String(name), context));
}

/** Shows a touchpoint's prompt now, ignoring its triggers and eligibility (previews, "give feedback" buttons). */
export function show(touchpointId: string, context?: Record<string, unknown>): Promise<boolean> {
  return command(`show("${String(touchpointId)}")`, false, (w) => w.show(String(touchpointId), context));
}

/** Puts `user` on later answers; traits are merged into their context. */
export function identify(userId: string, traits?: Record<string, unknown>): Promise<void> {
  return command('identify', undefined, (w) => w.identify(userId, traits));
}

/**
 * Grants or withdraws consent to store and send answers (with `"consent": false` in config,
 * nothing is stored or sent before `consent(true)`). Withdrawing stops all sending at once and
 * deletes what this browser still holds: queued answers, the visitor state, the cached config.
 */
export function consent(granted: boolean): Promise<void> {
  return command('consent', undefined, (w) => w.consent(granted === true));
}

/** Sends queued answers now. */
export function flush(): Promise<void> {
  return command('flush', undefined, (w) => w.flush());
}

/** Subscribes to an event (SPEC §8); returns the unsubscribe. A throwing handler never breaks the widget. */
export function on<K extends EventName>(name: K, handler: Handler<K>): () => void {
  if (!EVENT_NAMES.includes(name) || typeof handler !== 'function') {
    logProblem({
      path: `on("${String(name)}")`,
      message: 'unknown event or missing handler',
      fix: `use one of ${EVENT_NAMES.join(', ')} with a function`,
    });
    return () => {};
  }
  return events().on(name, handler);
}

/** Removes every listener, timer and node the widget added, and every event handler; `init` may be called again. */
export function destroy(): void {
  try {
    widget?.destroy();
  } catch (error) {
    logProblem({ path: 'destroy', message: `failed: ${String(error)}`, fix: FIX });
  }
  emitter?.clear();
  widget = starting = undefined;
  failed = false;
  settle(undefined);
}
