/** The JSON-safe form of a trigger's context as stored in answers. */
export type Context = Record<string, string | number | boolean | null>;

/** Most keys an answer's `context` carries, trigger context and `identify` traits together. */
export const MAX_CONTEXT_KEYS = 20;
const MAX_KEYS = MAX_CONTEXT_KEYS;
const MAX_KEY = 64;
const MAX_STRING = 500;

/**
 * Keeps what an answer can carry from a trigger's context: up to 20 keys of strings (cut to 500
 * characters), finite numbers, booleans and null. Returns what was dropped, for debug mode.
 */
export function sanitizeContext(input: unknown): { context?: Context; dropped: string[] } {
  const dropped: string[] = [];
  if (input == null) return { dropped };
  if (typeof input !== 'object' || Array.isArray(input)) return { dropped: ['(not an object)'] };
  const context: Context = {};
  let n = 0;
  for (const key of Object.keys(input)) {
    const v = (input as Record<string, unknown>)[key];
    const ok = v === null || typeof v === 'boolean' || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
    if (!ok || key === '__proto__' || key.length > MAX_KEY || n >= MAX_KEYS) {
      dropped.push(key);
      continue;
    }
    context[key] = typeof v === 'string' ? v.slice(0, MAX_STRING) : (v as number | boolean | null);
    n++;
  }
  return { context: n ? context : undefined, dropped };
}

/**
 * The context of one answer: the trigger's own keys first, then `identify` traits, capped at
 * `MAX_CONTEXT_KEYS` in all, so the answer stays within what the schema and collector accept.
 * Returns the trait keys left out, for debug mode.
 */
export function mergeContext(traits: Context | undefined, context: Context | undefined): { context?: Context; dropped: string[] } {
  const merged: Context = { ...context };
  const dropped: string[] = [];
  for (const key of Object.keys(traits ?? {})) {
    if (Object.hasOwn(merged, key)) continue;
    if (Object.keys(merged).length >= MAX_CONTEXT_KEYS) dropped.push(key);
    else merged[key] = traits![key]!;
  }
  return { context: Object.keys(merged).length ? merged : undefined, dropped };
}
