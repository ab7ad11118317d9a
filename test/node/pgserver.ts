// Where the Postgres tests run. PG_TEST_URL names a server (`.ci/run` starts one): then it must
// answer, and the tests fail if it does not. Without PG_TEST_URL a local server at the default
// URL is used when there is one; otherwise the tests are skipped, saying why.
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Run the tests, skip them (and say why), or fail because the named server is not there. */
export type PostgresPlan = { run: true } | { run: false; skip: string } | { run: false; fail: string };

/** The URL without its password, for messages. */
export const safeUrl = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

/** The decision alone: only a server nobody asked for may be missing quietly. */
export function planPostgres(named: string | undefined, url: string, probeError: string | undefined): PostgresPlan {
  if (probeError === undefined) return { run: true };
  if (named) return { run: false, fail: `PG_TEST_URL is set but no Postgres server answers at ${safeUrl(url)} (${probeError})` };
  return { run: false, skip: `no Postgres server at ${safeUrl(url)} (${probeError}); set PG_TEST_URL to test DATABASE_URL mode` };
}

/** Connects once, briefly: the error, or undefined when the server is there. */
async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || (err as { code?: string }).code || String(err);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The server to test against and what to do; prints the reason when the tests are skipped. */
export async function postgresTarget(file: string): Promise<{ url: string; plan: PostgresPlan }> {
  const named = process.env.PG_TEST_URL || undefined;
  const url = named ?? DEFAULT_URL;
  const plan = planPostgres(named, url, await probe(url));
  if ('skip' in plan) console.log(`[${file}] skipped: ${plan.skip}`);
  return { url, plan };
}

/** A schema of the test's own, through libpq's `options` (search_path), which `pg` passes on; dropped by `drop()`. */
export async function ownSchema(baseUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `moodpoint_${name}_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
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
  return { url: url.toString(), drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}
