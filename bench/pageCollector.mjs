import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startCollector } from '../dist/server/index.js';

/**
 * The reference collector (PGlite in a temporary directory) that the bench pages post to, with
 * the time spent inside its store's `insertAnswers` added up, so a flush's time can be split
 * between storing and the rest of a request (HTTP, JSON, validation).
 */
export async function startBenchCollector(origin) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'moodpoint-bench-'));
  const collector = await startCollector({
    pgliteDir: dataDir,
    // Only the store is read back (collector.db), never the read routes.
    readToken: randomUUID(),
    rateLimit: false,
    allowedOrigins: [origin],
    siteConfigs: [],
    log: (line) => console.error(line),
  });
  const store = collector.db;
  const insertAnswers = store.insertAnswers;
  let inserts = { count: 0, ms: 0 };
  store.insertAnswers = async (...args) => {
    const start = performance.now();
    try {
      return await insertAnswers.apply(store, args);
    } finally {
      inserts.count++;
      inserts.ms += performance.now() - start;
    }
  };
  return {
    endpoint: `${collector.url}/api/answers`,
    /** Answers stored so far. */
    stored: () => store.count(),
    /** Calls of `insertAnswers` and their time since the last call of this. */
    takeInserts() {
      const taken = inserts;
      inserts = { count: 0, ms: 0 };
      return taken;
    },
    async close() {
      await collector.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
