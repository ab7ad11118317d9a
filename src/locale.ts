import { en, type Strings } from './locales/en';

/** Locales shipped: English inside the script, the rest as JSON files loaded when needed. */
export const LOCALES = ['en', 'de', 'fr', 'es', 'hu', 'ru', 'hy', 'zh', 'ar'] as const;

const LOAD_TIMEOUT_MS = 3000;
/** Locale files loading or loaded, by URL; made on first use. */
let cache: Map<string, Promise<Loaded>> | undefined;

/** The first shipped locale among `wanted` (or the browser's languages for `"auto"`), else `en`. */
export function pickLocale(wanted: string | undefined, languages: readonly string[]): string {
  for (const tag of !wanted || wanted === 'auto' ? languages : [wanted]) {
    const base = tag.toLowerCase().split(/[-_]/)[0]!;
    if ((LOCALES as readonly string[]).includes(base)) return base;
  }
  return 'en';
}

/** Right-to-left locales among those shipped. */
export const isRtl = (code: string): boolean => code === 'ar';

/** The strings to show and the locale they are really in. */
export interface Loaded {
  code: string;
  strings: Strings;
}

const ENGLISH: Loaded = { code: 'en', strings: en };

/**
 * The strings of a locale over English. A file that cannot load (offline, blocked, slow) or is
 * not valid leaves the prompt in English rather than not shown, and says so in `code` (so the
 * dialog's `lang` and direction match what is read out); `onFail` says why.
 */
export function loadStrings(code: string, base: string | undefined, onFail: (why: string) => void): Promise<Loaded> {
  if (code === 'en') return Promise.resolve(ENGLISH);
  if (!base) {
    onFail(`no localeUrl is set, so "${code}" cannot be loaded`);
    return Promise.resolve(ENGLISH);
  }
  const url = new URL(`${code}.json`, base).href;
  const loaded = (cache ??= new Map());
  let loading = loaded.get(url);
  if (!loading) {
    loading = fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(LOAD_TIMEOUT_MS) })
      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(`HTTP ${res.status}`))))
      .then((data: Record<string, unknown>) => {
        const out = { ...en };
        for (const key of Object.keys(en) as (keyof Strings)[]) if (typeof data?.[key] === 'string') out[key] = data[key] as string;
        return { code, strings: out };
      })
      .catch((error) => {
        loaded.delete(url);
        onFail(`${url}: ${String(error)}`);
        return ENGLISH;
      });
    loaded.set(url, loading);
  }
  return loading;
}
