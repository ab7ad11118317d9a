/**
 * Runs `fn` when the page's main thread is idle (or after `timeoutMs` at the latest); returns the
 * cancel. Where `requestIdleCallback` is missing (Safari), a macrotask stands in for it.
 */
export function onIdle(fn: () => void, timeoutMs = 2000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(() => fn(), { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 1);
  return () => clearTimeout(id);
}

/** Resolves at the next idle moment. */
export const whenIdle = (): Promise<void> => new Promise((resolve) => void onIdle(resolve));

/** Lets the page run (input, rendering) before going on: `scheduler.yield()` where it exists, else a macrotask. */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return typeof scheduler?.yield === 'function' ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}
