import * as api from './api';
import { isSafeUrl } from './config';
import { setLocaleBase } from './locale';
import { logProblem } from './log';

type Command = keyof typeof api;
type Global = ((name: string, ...args: unknown[]) => unknown) & { q?: ArrayLike<unknown>[] } & Partial<typeof api>;

const COMMANDS = Object.keys(api) as Command[];

/** Reads the script tag's `data-*` shorthands (SPEC §2) into config keys. */
function fromTag(script: HTMLOrSVGScriptElement | null): Record<string, unknown> {
  const d = (script as HTMLScriptElement | null)?.dataset ?? {};
  const out: Record<string, unknown> = {};
  if (d.endpoint) out.endpoint = d.endpoint;
  if (d.site) out.site = d.site;
  if (d.locale) out.locale = d.locale;
  if (d.debug !== undefined) out.debug = d.debug !== 'false';
  return out;
}

function run(name: unknown, args: unknown[], defaults: Record<string, unknown>): unknown {
  try {
    if (!COMMANDS.includes(name as Command)) {
      logProblem({ path: `moodpoint("${String(name)}")`, message: 'unknown command', fix: `use one of ${COMMANDS.join(', ')}` });
      return undefined;
    }
    if (name === 'init') {
      const config = args[0];
      return api.init(config && typeof config === 'object' && !Array.isArray(config) ? { ...defaults, ...config } : config);
    }
    return (api[name as Command] as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    logProblem({
      path: `moodpoint("${String(name)}")`,
      message: `failed: ${String(error)}`,
      fix: 'please report this with the console output',
    });
    return undefined;
  }
}

async function loadConfig(url: string, defaults: Record<string, unknown>): Promise<void> {
  if (!isSafeUrl(url)) {
    logProblem({ path: 'data-config', message: `${url} is not an https URL`, fix: 'serve the config over https (http only on localhost)' });
    return;
  }
  let config: unknown;
  try {
    const res = await fetch(url, { credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    config = await res.json();
  } catch (error) {
    logProblem({ path: 'data-config', message: `could not load ${url} (${String(error)})`, fix: 'check the URL serves the JSON config' });
    return;
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    logProblem({ path: 'data-config', message: `${url} is not a JSON object`, fix: 'serve the config as a JSON object' });
    return;
  }
  await api.init({ ...defaults, ...config });
}

/**
 * The script-tag entry: replaces the pre-load stub with the command function, replays the calls
 * queued before load in order, and loads `data-config` when given.
 */
function install(): void {
  const w = window as unknown as { moodpoint?: Global };
  if (w.moodpoint && !w.moodpoint.q && w.moodpoint.init) return; // loaded twice: keep the first
  const script = document.currentScript as HTMLScriptElement | null;
  const defaults = fromTag(script);
  if (script?.src) setLocaleBase(new URL('locales/', script.src).href);
  const queued = Array.from(w.moodpoint?.q ?? []);
  const command = ((name: string, ...args: unknown[]) => run(name, args, defaults)) as Global;
  for (const name of COMMANDS) (command as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => run(name, args, defaults);
  w.moodpoint = command;
  const configUrl = script?.dataset.config;
  if (configUrl) void loadConfig(configUrl, defaults);
  for (const args of queued) run(args[0], Array.prototype.slice.call(args, 1), defaults);
}

try {
  install();
} catch (error) {
  logProblem({ path: 'moodpoint.min.js', message: `could not start: ${String(error)}`, fix: 'please report this with the console output' });
}
