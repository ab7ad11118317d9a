/**
 * The bench's collector in a process of its own, as in production, so the bench's Playwright
 * client does not share its event loop. Started by pageCollector.mjs with the pages' origin and a
 * data directory; answers its requests (stored count, insert statement times, a CPU profile) over IPC.
 */
import { randomUUID } from 'node:crypto';
import { Session } from 'node:inspector/promises';
import { startCollector } from '../dist/server/index.js';

const [origin, dataDir] = process.argv.slice(2);
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
// The store's insert statements, timed: concurrent batches share one (group commit), so the
// statements, not the calls of `insertAnswers`, are what run one at a time.
const query = store.db.query.bind(store.db);
let inserts = { count: 0, ms: 0 };
store.db.query = async (sql, params) => {
  if (!sql.includes('INSERT INTO answers')) return query(sql, params);
  const start = performance.now();
  try {
    return await query(sql, params);
  } finally {
    inserts.count++;
    inserts.ms += performance.now() - start;
  }
};
const profiler = new Session();
profiler.connect();

const handlers = {
  stored: () => store.count(),
  takeInserts() {
    const taken = inserts;
    inserts = { count: 0, ms: 0 };
    return taken;
  },
  async profileStart() {
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.post('Profiler.start');
  },
  profileStop: async () => (await profiler.post('Profiler.stop')).profile,
  async close() {
    profiler.disconnect();
    await collector.close();
  },
};
process.on('message', async ({ id, call }) => {
  try {
    process.send({ id, value: await handlers[call]() });
  } catch (error) {
    process.send({ id, error: String(error?.stack ?? error) });
  }
  if (call === 'close') process.disconnect();
});
process.send({ ready: `${collector.url}/api/answers` });
