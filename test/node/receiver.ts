// A webhook receiver for the tests. It checks every signature itself, with node:crypto and the
// Standard Webhooks rules, not with the collector's code, so a mistake in one is not repeated in
// the other. It can be up (2xx for a valid signature), down (503) or unreachable (connection cut).
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  /** `webhook-timestamp`, seconds. */
  timestamp: number;
  body: string;
  valid: boolean;
  /** What the receiver answered: a status, or 0 when it cut the connection. */
  answered: number;
}

export interface Receiver {
  url: string;
  got: Received[];
  mode: 'up' | 'down' | 'unreachable';
  /** Ids answered with a 2xx, with how many times each was. */
  accepted(): Map<string, number>;
  close(): Promise<void>;
}

/** Standard Webhooks: HMAC-SHA256 over `id.timestamp.body`, keyed with the base64 after `whsec_`, any of the `v1,` signatures. */
export function verifyIndependently(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const signed = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .includes(expected);
}

export async function startReceiver(secret: string): Promise<Receiver> {
  const got: Received[] = [];
  const state = { mode: 'up' as Receiver['mode'] };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const valid = verifyIndependently(secret, req.headers, body) && req.headers['content-type'] === 'application/json';
      const answered = state.mode === 'unreachable' ? 0 : state.mode === 'down' ? 503 : valid ? 204 : 401;
      got.push({ id: String(req.headers['webhook-id']), timestamp: Number(req.headers['webhook-timestamp']), body, valid, answered });
      if (answered === 0) req.socket.destroy();
      else res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/moodpoint`,
    got,
    get mode() {
      return state.mode;
    },
    set mode(mode) {
      state.mode = mode;
    },
    accepted() {
      const counts = new Map<string, number>();
      for (const r of got) if (r.answered >= 200 && r.answered < 300) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
