/** What to do with a batch after one attempt to post it (SPEC §5). */
export type Outcome =
  | { type: 'ok'; status: number }
  | { type: 'retry'; status?: number; retryAfterMs?: number }
  | { type: 'split'; status: 413 }
  | { type: 'reject'; status: number };

/** How a batch is posted. */
export interface SendOptions {
  contentType: string;
  keepalive?: boolean;
  timeoutMs?: number;
}

const RETRY_STATUSES = [408, 425, 429];
const MAX_RETRY_AFTER_MS = 3_600_000;

/** Milliseconds to wait from a `Retry-After` header (seconds or HTTP date), capped at an hour. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/** Maps an HTTP status to an outcome. */
export function classify(status: number, retryAfter: string | null): Outcome {
  if (status >= 200 && status < 300) return { type: 'ok', status };
  if (status === 413) return { type: 'split', status };
  if (status >= 500 || RETRY_STATUSES.includes(status)) return { type: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter) };
  return { type: 'reject', status };
}

/**
 * Posts one batch body. Never throws: network errors and timeouts are `retry`. The default
 * `text/plain` content type makes this a CORS simple request, so no preflight can fail at unload.
 */
export async function send(endpoint: string, body: string, opts: SendOptions): Promise<Outcome> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      body,
      headers: { 'Content-Type': opts.contentType },
      credentials: 'omit',
      keepalive: !!opts.keepalive,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    return classify(res.status, res.headers.get('Retry-After'));
  } catch {
    return { type: 'retry' };
  }
}
