// SIGTERM to a real `moodpoint serve`: it stops taking connections, finishes the posts already
// in flight, closes the store and exits 0; every post that got a 2xx is in the store afterwards.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAnswer } from '../answers';
import { BOOT_TIMEOUT, stored, TOKEN } from './helpers';
import { startServe } from './serve';

/**
 * A post whose headers are in (the server said 100 Continue, so its handler is running) and
 * whose body is held back until `finish()`.
 */
function heldPost(base: string, body: string): Promise<{ finish(): Promise<{ status: number; text: string }> }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      path: '/api/answers',
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
    });
    const answered = new Promise<{ status: number; text: string }>((done, fail) => {
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', fail);
    });
    req.on('continue', () =>
      resolve({
        finish() {
          req.end(body);
          return answered;
        },
      }),
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('moodpoint serve on SIGTERM', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-shutdown-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it(
    'finishes the posts in flight, refuses new connections, closes the store, and keeps every answer it acknowledged',
    async () => {
      const args = ['--port', '0', '--data-dir', dataDir, '--rate-limit', '0'];
      const served = await startServe(args, { MOODPOINT_READ_TOKEN: TOKEN });
      const batches = Array.from({ length: 5 }, () => Array.from({ length: 50 }, () => makeAnswer()));
      const held = await Promise.all(batches.map((answers) => heldPost(served.url, JSON.stringify({ answers }))));

      const exited = served.stop('SIGTERM');
      await expect.poll(() => served.output(), { timeout: 10_000 }).toContain('SIGTERM: finishing requests in flight');
      await expect(fetch(`${served.url}/healthz`)).rejects.toThrow();

      const replies = await Promise.all(held.map((h) => h.finish()));
      for (const reply of replies) expect(reply).toEqual({ status: 200, text: JSON.stringify({ accepted: 50, duplicates: 0 }) });
      expect(await exited).toBe(0);
      expect(served.output()).toContain('closed.');

      const again = await startServe(args, { MOODPOINT_READ_TOKEN: TOKEN });
      try {
        const ids = new Set((await stored(again.url)).map((a) => a.id));
        expect(ids.size).toBe(250);
        for (const answer of batches.flat()) expect(ids.has(answer.id)).toBe(true);
      } finally {
        await again.stop();
      }
    },
    3 * BOOT_TIMEOUT,
  );
});
