export interface RateLimiter {
  hit(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };
  readonly size: number;
}
/** At most `max` requests per key in each `windowMs`. */
export function createRateLimiter(options: { max: number; windowMs: number; now?: () => number }): RateLimiter;
