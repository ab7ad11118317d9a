import { assetNonce, assetUrl } from './assets';
import { yieldToMain } from './idle';
import { PROMPT_KEY, type PromptModule } from './promptModule';

/** The prompt file, next to `moodpoint.min.js`. */
export const PROMPT_FILE = 'moodpoint.prompt.js';

/** Its Subresource Integrity value, written in by the build, so the loader pins the file it loads. */
const INTEGRITY = '__PROMPT_INTEGRITY__';

type ScriptUrlPolicy = { createScriptURL(url: string): unknown };
type TrustedTypes = { createPolicy(name: string, rules: { createScriptURL(url: string): string }): ScriptUrlPolicy };

let loading: Promise<PromptModule> | undefined;
let policy: ScriptUrlPolicy | undefined;

/**
 * A URL a page with Trusted Types accepts for `script.src`: from the widget's own policy, which
 * passes the prompt file's URL and nothing else. A page that lists its policies in CSP
 * (`trusted-types …`) must list `moodpoint`.
 */
function trusted(url: string): string {
  const tt = (window as unknown as { trustedTypes?: TrustedTypes }).trustedTypes;
  if (!tt?.createPolicy) return url;
  policy ??= tt.createPolicy('moodpoint', {
    createScriptURL(value) {
      if (value !== url) throw new TypeError(`moodpoint loads only ${url}`);
      return value;
    },
  });
  return policy.createScriptURL(url) as string;
}

/**
 * The module the prompt file's function makes, made on first use: the file hands the loader that
 * function (see `deferred` in rollup.config.mjs), so a prefetch costs a page the file's parse and
 * nothing more until a config is validated or a prompt shows.
 */
function onFirstUse(make: () => PromptModule): PromptModule {
  let module: PromptModule | undefined;
  const get = () => (module ??= make());
  return {
    // Validation runs at idle: the file's setup gets a task of its own, so the two make no long task together.
    validateConfig: async (input) => {
      if (!module) {
        get();
        await yieldToMain();
      }
      return get().validateConfig(input);
    },
    openPrompt: async (showing) => get().openPrompt(showing),
  };
}

/**
 * Loads the prompt file once, with the integrity value and the page's nonce on its script
 * element, and resolves with its module. The element is removed once it ran; a failed load
 * can be tried again later.
 */
export function loadPrompt(): Promise<PromptModule> {
  return (loading ??= new Promise<PromptModule>((resolve, reject) => {
    const slot = window as unknown as Record<symbol, unknown>;
    const key = Symbol.for(PROMPT_KEY);
    const url = assetUrl(PROMPT_FILE);
    const ran = () => {
      const make = slot[key];
      if (typeof make === 'function') resolve(onFirstUse(make as () => PromptModule));
      return typeof make === 'function';
    };
    if (ran()) return;
    if (!url) return reject(new Error(`the script has no src, so ${PROMPT_FILE} cannot be found next to it`));
    const script = document.createElement('script');
    script.src = trusted(url);
    script.integrity = INTEGRITY;
    script.crossOrigin = 'anonymous';
    const nonce = assetNonce();
    if (nonce) script.nonce = nonce;
    script.onload = () => {
      script.remove();
      if (!ran()) reject(new Error(`${url} ran but gave no module`));
    };
    script.onerror = () => {
      script.remove();
      reject(new Error(`${url} did not load (offline, blocked by CSP, or not the file this loader was built with)`));
    };
    document.head.append(script);
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
}
