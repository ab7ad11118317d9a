import { configSchema, type Config } from './config';
import { createEmitter, EVENT_NAMES, type Emitter, type EventName, type Handler } from './emitter';
import { debugLog, logProblem } from './log';
import { validate } from './validate';
import { createWidget, type Widget } from './widget';

let emitter: Emitter | undefined;
let widget: Widget | undefined;
let debug = false;
let ready: Promise<Widget | undefined> | undefined;
let resolveReady: ((w: Widget | undefined) => void) | undefined;

const events = () =>
  (emitter ??= createEmitter((name, error) => debugLog(debug, `a "${name}" handler threw (the widget carries on):`, error)));

/**
 * Runs a command on the widget once `init` has succeeded. Whatever fails inside is reported on
 * the console and resolves `fallback`: a command never rejects into the host page.
 */
async function command<T>(name: string, fallback: T, run: (w: Widget) => T | Promise<T>): Promise<T> {
  try {
    const w = await whenReady();
    return w ? await run(w) : fallback;
  } catch (error) {
    logProblem({ path: name, message: `failed: ${String(error)}`, fix: 'please report this with the console output' });
    return fallback;
  }
}

/**
 * Resolves with the widget once `init` has succeeded; commands made earlier wait for it. Resolves
 * `undefined` when `destroy()` comes first, so those commands settle instead of waiting forever.
 */
const whenReady = () => (ready ??= new Promise<Widget | undefined>((resolve) => (resolveReady = resolve)));

/**
 * Starts the widget with a config (SPEC §3). Invalid config is reported on the console, one line
 * per problem with its path and a fix, and as `error` events; the widget then stays inert.
 * Resolves `true` once running.
 */
export async function init(config: unknown): Promise<boolean> {
  try {
    if (widget) {
      logProblem({ path: 'init', message: 'the widget is already running', fix: 'call destroy() before init() again' });
      return false;
    }
    const parsed = validate(configSchema(), config);
    if (!parsed.ok) {
      for (const problem of parsed.problems) {
        logProblem(problem);
        events().emit('error', problem);
      }
      return false;
    }
    const cfg: Config = parsed.value;
    debug = !!cfg.debug;
    if (!cfg.endpoint)
      logProblem({
        path: 'endpoint',
        message: 'is missing, so answers are kept but not sent',
        fix: 'add data-endpoint to the script tag or "endpoint" to the config',
      });
    const w = createWidget(cfg, events());
    widget = w;
    await w.start();
    // destroy() ran while this widget was starting (React's StrictMode mounts, unmounts and mounts
    // again): it is gone, and the ready promise now belongs to the next init.
    if (widget !== w) return false;
    void whenReady();
    resolveReady?.(w);
    return true;
  } catch (error) {
    logProblem({ path: 'init', message: `failed: ${String(error)}`, fix: 'please report this with the console output' });
    return false;
  }
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

/** Grants or withdraws consent to store and send answers (with `"consent": false` in config, nothing is stored or sent before `consent(true)`). */
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
    logProblem({ path: 'destroy', message: `failed: ${String(error)}`, fix: 'please report this with the console output' });
  }
  emitter?.clear();
  resolveReady?.(undefined);
  widget = ready = resolveReady = undefined;
}
