// The local demo: `npm start` (or `node demo/server/main.mjs` after `npm run build`).
// Env: PORT (8080), HOST (127.0.0.1), CORS_ORIGINS (comma-separated origins, or `*`),
// DATABASE_URL (a Postgres server instead of PGlite in .data/pglite), RATE_LIMIT (answer posts
// per IP address and minute, default 600; 0 switches the limit off).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDataDir, describeDatabase, PGLITE_DIR } from './datadir.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

for (const file of ['answer.js', 'metrics.js', 'moodpoint.min.js']) {
  if (!existsSync(path.join(REPO, 'dist', file))) {
    console.error(`dist/${file} is missing: run \`npm run build\` first.`);
    if (file !== 'moodpoint.min.js') process.exit(1);
  }
}

// Imported after the check, so a missing build gives the hint above instead of a stack trace.
const { startCollector, DEFAULT_RATE_LIMIT } = await import('./collector.mjs');

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';
const allowedOrigins = process.env.CORS_ORIGINS?.split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);
const databaseUrl = process.env.DATABASE_URL || undefined;

let rateLimit = DEFAULT_RATE_LIMIT;
if (process.env.RATE_LIMIT !== undefined && process.env.RATE_LIMIT !== '') {
  const max = Number(process.env.RATE_LIMIT);
  if (!Number.isInteger(max) || max < 0) {
    console.error(`RATE_LIMIT is ${JSON.stringify(process.env.RATE_LIMIT)}: expected a whole number of posts per minute (0 = no limit).`);
    process.exit(1);
  }
  rateLimit = max === 0 ? false : { max, windowMs: 60_000 };
}

// PGlite's directory takes one process at a time; a second one (or `npm run demo:seed` meanwhile) is told so.
let release = () => {};
let dataDir;
if (!databaseUrl) {
  try {
    release = acquireDataDir(PGLITE_DIR, { url: `http://${host}:${port}` });
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  dataDir = PGLITE_DIR;
}

let collector;
try {
  collector = await startCollector({
    port,
    host,
    dataDir,
    databaseUrl,
    rateLimit,
    allowedOrigins: allowedOrigins?.length ? allowedOrigins : undefined,
  });
} catch (err) {
  release();
  console.error(`Could not start the collector on ${host}:${port}: ${err.message}`);
  process.exit(1);
}

const { url } = collector;
const answers = await collector.db.count().catch(() => undefined);
console.log(`moodpoint demo collector
  shop:       ${url}/
  dashboard:  ${url}/dashboard/
  recipes:    ${url}/recipes/    (plain HTML, React, Vue, Next.js and GTM examples)
  API:        ${url}/api/answers   (POST answers, GET to list them)
  report:     ${url}/api/report    exports: ${url}/api/answers.csv, ${url}/api/answers.ndjson
  data:       ${describeDatabase({ dataDir, databaseUrl })}${answers === undefined ? '' : ` (${answers} answers)`}${answers === 0 ? '\n              empty: `npm run demo:seed` (with the server stopped) adds a synthetic journey' : ''}
Press Ctrl+C to stop.`);

let closing = false;
async function shutdown(signal) {
  if (closing) {
    console.error(`${signal} again: exiting without a clean close.`);
    release();
    process.exit(1);
  }
  closing = true;
  console.log(`\n${signal}: closing…`);
  try {
    await collector.close();
    release();
    process.exit(0);
  } catch (err) {
    release();
    console.error(`Close failed: ${err.message}`);
    process.exit(1);
  }
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
