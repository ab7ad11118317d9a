import * as api from './api';
import { setAssets } from './assets';
import { logProblem } from './log';
import { isSafeUrl } from './safeUrl';

/** The commands of `moodpoint(name, ...args)`, and the methods of `moodpoint` after load (SPEC §2). */
const COMMANDS = ['init', 'trigger', 'show', 'identify', 'consent', 'on', 'flush', 'destroy'] as const;
type Command = (typeof COMMANDS)[number];
type Global = ((name: string, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] } & Partial<Record<Command, unknown>>;

const FIX = 'please report this with the console output';

/** Reads the script tag's `data-*` shorthands (SPEC §2) into config keys. */
function fromTag(script: HTMLScriptElement | null): Record<string, unknown> {
  const d = script?.dataset ?? {};
  const out: Record<string, unknown> = {};
  if (d.endpoint) out.endpoint = d.endpoint;
  if (d.site) out.site = d.site;
  if (d.locale) out.locale = d.locale;
  if (d.debug !== undefined) out.debug = d.debug !== 'false';
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function run(name: unknown, args: unknown[], defaults: Record<string, unknown>): unknown {
  try {
    if (!COMMANDS.includes(name as Command)) {
      logProblem({ path: `moodpoint("${String(name)}")`, message: 'unknown command', fix: `use one of ${COMMANDS.join(', ')}` });
      return undefined;
    }
    if (name === 'init') return api.init(isObject(args[0]) ? { ...defaults, ...args[0] } : args[0]);
    return (api[name as Command] as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    logProblem({ path: `moodpoint("${String(name)}")`, message: `failed: ${String(error)}`, fix: FIX });
    return undefined;
  }
}

/** Fetches `data-config` and starts the widget with it; a config that cannot be had settles the waiting commands. */
async function loadConfig(url: string, defaults: Record<string, unknown>): Promise<void> {
  const problem = (message: string, fix: string) => api.initFailed({ path: 'data-config', message, fix });
  if (!isSafeUrl(url)) return problem(`${url} is not an https URL`, 'serve the config over https (http only on localhost)');
  let config: unknown;
  try {
    const res = await fetch(url, { credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    config = await res.json();
  } catch (error) {
    return problem(`could not load ${url} (${String(error)})`, 'check the URL serves the JSON config');
  }
  if (!isObject(config)) return problem(`${url} is not a JSON object`, 'serve the config as a JSON object');
  await api.init({ ...defaults, ...config });
}

/**
 * The script-tag entry: replaces the pre-load stub with the command function, replays the calls
 * queued before load in order, and loads `data-config` when given. It does nothing else: the
 * prompt file comes only when a config must be validated or a prompt is about to show.
 */
function install(): void {
  const w = window as unknown as { moodpoint?: Global };
  if (w.moodpoint && !w.moodpoint.q && w.moodpoint.init) return; // loaded twice: keep the first
  const script = document.currentScript as HTMLScriptElement | null;
  const defaults = fromTag(script);
  setAssets(script?.src || undefined, script?.nonce);
  const queued = Array.from(w.moodpoint?.q ?? []);
  const command = ((name: string, ...args: unknown[]) => run(name, args, defaults)) as Global;
  for (const name of COMMANDS) command[name] = (...args: unknown[]) => run(name, args, defaults);
  w.moodpoint = command;
  const configUrl = script?.dataset.config;
  if (configUrl) void loadConfig(configUrl, defaults);
  for (const args of queued) run(args[0], Array.prototype.slice.call(args, 1), defaults);
}

try {
  install();
} catch (error) {
  logProblem({ path: 'moodpoint.min.js', message: `could not start: ${String(error)}`, fix: FIX });
}
