/** A verdict on one request. */
export type RateVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

/** Counts requests per key. */
export interface RateLimiter {
  hit(key: string): RateVerdict;
  /** Number of keys currently tracked (tests). */
  readonly size: number;
}

/**
 * A fixed-window request counter per key (the client's IP address): at most `max` requests in
 * each `windowMs`, counted in this process's memory. Enough to keep one misbehaving page or
 * script from flooding the store; not a defence against a distributed attack, which belongs in
 * front of the collector.
 */
export function createRateLimiter({ max, windowMs, now = Date.now }: { max: number; windowMs: number; now?: () => number }): RateLimiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`rateLimit.max is ${max}, expected an integer ≥ 1`);
  if (!Number.isFinite(windowMs) || windowMs < 1) throw new RangeError(`rateLimit.windowMs is ${windowMs}, expected > 0`);
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = now() + windowMs;

  /** Forgets finished windows now and then, so a stream of new addresses cannot grow the map forever. */
  function sweep(t: number) {
    if (t < nextSweep) return;
    nextSweep = t + windowMs;
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  }

  return {
    /** Counts one request for `key`. */
    hit(key) {
      const t = now();
      sweep(t);
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      if (w.count > max) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) };
      return { allowed: true, remaining: max - w.count };
    },
    get size() {
      return windows.size;
    },
  };
}
