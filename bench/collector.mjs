/**
 * `npm run bench:collector`: answers per second into the collector, PGlite and Postgres, with
 * autocannon on 127.0.0.1. Each run posts a fixed number of batches of 50 new answers (unique
 * ids, made before the clock starts) to `moodpoint serve` running as its own process, as in
 * production, and checks afterwards that every answer was stored.
 *
 *   node bench/collector.mjs [--batches N] [--connections N] [--only pglite|postgres]
 *
 * Postgres: DATABASE_URL or PG_TEST_URL, else a throwaway server started as .ci/run does (initdb
 * as the postgres user, 127.0.0.1 only, removed afterwards); when none can be had it says why.
 * Every run works in a schema of its own, dropped afterwards. Not part of `npm test`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '1200' },
    connections: { type: 'string', default: '16' },
    only: { type: 'string' },
  },
});
const BATCHES = Number(values.batches);
const CONNECTIONS = Number(values.connections);
if (!Number.isInteger(BATCHES) || BATCHES < 10 || BATCHES > 100_000)
  throw new Error(`--batches takes a whole number 10–100000, not ${values.batches}`);
if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 1 || CONNECTIONS > 256)
  throw new Error(`--connections takes a whole number 1–256, not ${values.connections}`);
if (values.only && !['pglite', 'postgres'].includes(values.only)) throw new Error(`--only takes pglite or postgres, not ${values.only}`);

const BATCH = 50;
const WARMUP = 40;
const TOKEN = randomUUID();
const BIN = fileURLToPath(new URL('../bin/moodpoint.mjs', import.meta.url));
const WORDS = ['happy', 'valued', 'stressed', 'pleased', 'hurried'];

/** A batch of 50 answers as the widget sends them: mixed kinds, some comments and context. */
function batchBody() {
  const answers = Array.from({ length: BATCH }, (_, i) => {
    const kind = ['nps', 'ces', 'emotion'][i % 3];
    return {
      id: randomUUID(),
      responseId: randomUUID(),
      touchpoint: ['checkout_complete', 'support_closed', 'product_browse'][i % 3],
      stage: ['purchase', 'support', 'browse'][i % 3],
      kind,
      score: kind === 'nps' ? i % 11 : kind === 'ces' ? 1 + (i % 7) : 1 + (i % 10),
      emotions: kind === 'emotion' ? [WORDS[i % 5]] : [],
      ...(i % 4 === 0 ? { comment: 'Quick checkout, the delivery date was clear before paying.' } : {}),
      context: { orderValue: 10 + i, plan: 'pro' },
      site: 'bench',
      locale: 'en',
      url: 'https://shop.example.com/thanks',
      answeredAt: new Date().toISOString(),
      v: 1,
    };
  });
  return JSON.stringify({ answers });
}

/** `moodpoint serve` in a child process; resolves with its URL once it listens. */
function serve(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--rate-limit', '0', ...args], {
      env: { ...process.env, MOODPOINT_READ_TOKEN: TOKEN, ...env },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ url, stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`moodpoint serve exited (${code}):\n${output}`)));
  });
}

/** Fires `bodies` (one request each, in order, over `CONNECTIONS` connections) and times it. */
async function fire(url, bodies) {
  let next = 0;
  const result = await autocannon({
    url: `${url}/api/answers`,
    connections: CONNECTIONS,
    amount: bodies.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
  return result;
}

async function storedCount(url) {
  const res = await fetch(`${url}/api/report?from=2100-01-01`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return (await res.json()).stored;
}

/** One backend: warm up, then the measured run; the answers/s and what autocannon saw. */
async function measure(name, args, env) {
  const server = await serve(args, env);
  try {
    const warmup = Array.from({ length: WARMUP }, batchBody);
    await fire(server.url, warmup);
    const bodies = Array.from({ length: BATCHES }, batchBody);
    const before = await storedCount(server.url);
    const started = process.hrtime.bigint();
    const r = await fire(server.url, bodies);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const stored = (await storedCount(server.url)) - before;
    const ok = r['2xx'];
    return {
      name,
      answers: ok * BATCH,
      stored,
      seconds,
      rate: (ok * BATCH) / seconds,
      p50: r.latency.p50,
      p99: r.latency.p99,
      failed: r.non2xx + r.errors + r.timeouts,
    };
  } finally {
    await server.stop();
  }
}

/** A Postgres to measure: the one named, or a throwaway one, or the reason there is none. */
async function postgres() {
  const named = process.env.DATABASE_URL || process.env.PG_TEST_URL;
  if (named) return { url: named, where: 'DATABASE_URL/PG_TEST_URL', stop: async () => {} };
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b)) : [];
  if (!versions.length) return { unavailable: 'no DATABASE_URL or PG_TEST_URL, and no Postgres installed in /usr/lib/postgresql' };
  const bin = `/usr/lib/postgresql/${versions.at(-1)}/bin`;
  const dir = mkdtempSync(join(os.tmpdir(), 'moodpoint-bench-pg-'));
  const port = 55433;
  const asPostgres = (command) => execFileSync('su', ['postgres', '-s', '/bin/bash', '-c', command], { stdio: 'pipe' });
  try {
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
    asPostgres(`'${bin}/initdb' -D '${dir}/data' -A trust -U postgres >'${dir}/initdb.log' 2>&1`);
    asPostgres(
      `'${bin}/pg_ctl' -D '${dir}/data' -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1' -l '${dir}/log' -w start >/dev/null`,
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return {
      unavailable: `could not start a throwaway Postgres (${
        String(err.stderr || err.message)
          .trim()
          .split('\n')[0]
      })`,
    };
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    where: `a throwaway Postgres ${versions.at(-1)} on 127.0.0.1:${port}`,
    stop: async () => {
      asPostgres(`'${bin}/pg_ctl' -D '${dir}/data' -m fast stop >/dev/null`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withSchema(baseUrl, run) {
  const schema = `moodpoint_bench_${process.pid}`;
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE SCHEMA "${schema}"`);
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  try {
    return await run(url.toString());
  } finally {
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

const results = [];
const notes = [];
if (values.only !== 'postgres') {
  const dir = mkdtempSync(join(os.tmpdir(), 'moodpoint-bench-pglite-'));
  try {
    results.push(await measure('PGlite (--data-dir)', ['--data-dir', dir], {}));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (values.only !== 'pglite') {
  const server = await postgres();
  if (server.unavailable) notes.push(`Postgres: not measured: ${server.unavailable}.`);
  else {
    try {
      results.push(await withSchema(server.url, (url) => measure('Postgres (DATABASE_URL)', [], { DATABASE_URL: url })));
      notes.push(`Postgres: ${server.where}.`);
    } finally {
      await server.stop();
    }
  }
}

const cpu = os.cpus();
console.log(
  `\nmoodpoint serve, POST /api/answers: ${BATCHES} batches of ${BATCH} new answers, ${CONNECTIONS} connections, autocannon on 127.0.0.1` +
    `\n${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} at the end\n`,
);
console.log('| store | answers/s | answers stored | seconds | latency p50 / p99 | failed requests |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(
    `| ${r.name} | **${Math.round(r.rate).toLocaleString('en')}** | ${r.stored.toLocaleString('en')} of ${r.answers.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${r.p50} / ${r.p99} ms | ${r.failed} |`,
  );
}
for (const note of notes) console.log(`\n${note}`);
if (results.some((r) => r.failed > 0 || r.stored !== r.answers)) {
  console.error('\nSome answers were not stored: the figures above are not valid.');
  process.exitCode = 1;
}
