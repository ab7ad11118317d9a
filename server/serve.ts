// `moodpoint serve`: checks the flags, takes the data directory, finds or makes the read token
// and webhook secret, starts the collector, says where everything is, and shuts down cleanly on
// SIGTERM or SIGINT (requests in flight finish, the store is closed, the lock released).
import { rmSync } from 'node:fs';
import { generateToken } from './auth';
import { parseServeArgs, SERVE_HELP, type ServeOptions } from './args';
import { startCollector, type Collector } from './collector';
import { acquireDataDir, describeDatabase, pgliteDirOf, readOrCreateSecret } from './datadir';
import { generateSecret } from './signature';

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Standard output and error, one line or block per call. */
  print?: (text: string) => void;
  printError?: (text: string) => void;
  /** Extra banner lines (the demo lists its shop and recipes). */
  describe?: (url: string) => string[];
  /**
   * Show the dashboard link with the token on every start, not only the first. For a local demo,
   * where the person reading the terminal is the one who should open the dashboard.
   */
  alwaysShowToken?: boolean;
}

/** Where a secret came from, for the banner: the environment, or a file (new this start or not). */
type Sourced = { value: string; from: 'env' } | { value: string; from: 'file'; file: string; created: boolean };

function resolveSecret(envValue: string | undefined, dataDir: string | undefined, name: string, make: () => string): Sourced {
  if (envValue) return { value: envValue, from: 'env' };
  // Without DATABASE_URL there is always a data dir: the option check makes sure of it.
  const stored = readOrCreateSecret(dataDir!, name, make);
  return { from: 'file', ...stored };
}

function banner(
  collector: Collector,
  options: ServeOptions,
  token: Sourced,
  secret: Sourced | undefined,
  count: number | undefined,
  run: RunOptions,
) {
  const { url } = collector;
  const where = describeDatabase({ pgliteDir: options.dataDir && pgliteDirOf(options.dataDir), databaseUrl: options.databaseUrl });
  const lines = [
    `moodpoint serve: listening on ${url}`,
    `  answers:    POST ${url}/api/answers (public; pages allowed to post: ${options.allowedOrigins?.join(', ') ?? 'this origin only'})`,
    `  dashboard:  ${url}/dashboard/`,
  ];
  if (token.from === 'env') lines.push('  read token: from MOODPOINT_READ_TOKEN');
  else if (token.created || run.alwaysShowToken) {
    lines.push(
      `  read token: ${token.value}${token.created ? `  (generated; shown this once, kept in ${token.file})` : `  (from ${token.file})`}`,
      `              open ${url}/dashboard/#token=${token.value}`,
    );
  } else lines.push(`  read token: in ${token.file} (or set MOODPOINT_READ_TOKEN)`);
  lines.push(`  data:       ${where}${count === undefined ? '' : ` (${count} answers)`}`);
  if (options.webhooks.length > 0 && secret) {
    const signed =
      secret.from === 'env'
        ? 'signed with MOODPOINT_WEBHOOK_SECRET'
        : secret.created
          ? `signed with ${secret.value} (generated; shown this once, kept in ${secret.file})`
          : `signed with the secret in ${secret.file}`;
    lines.push(`  webhooks:   ${options.webhooks.join(', ')}`, `              ${signed}`);
  }
  if (options.retentionDays) lines.push(`  retention:  answers and impressions are erased ${options.retentionDays} days after they arrive`);
  lines.push(
    `  health:     ${url}/healthz`,
    ...(run.describe?.(url) ?? []),
    'Stop with Ctrl+C (or SIGTERM): requests in flight are finished first.',
  );
  return lines.join('\n');
}

/**
 * Runs `moodpoint serve` with these arguments until a signal stops it. Resolves with the exit
 * code: 0 after a clean shutdown, 1 when it could not start, 2 for bad arguments.
 */
export async function runServe(argv: readonly string[], run: RunOptions = {}): Promise<number> {
  const { env = process.env, print = (t) => console.log(t), printError = (t) => console.error(t) } = run;
  const parsed = parseServeArgs(argv, env);
  if ('help' in parsed) {
    print(SERVE_HELP);
    return 0;
  }
  if (!parsed.ok) {
    for (const error of parsed.errors) printError(`moodpoint serve: ${error}`);
    printError('Run `moodpoint serve --help` for every option.');
    return 2;
  }
  const options = parsed.options;

  // PGlite's directory takes one process at a time; a second one (or `npm run demo:seed`) is told who has it.
  let release = () => {};
  let collector: Collector;
  let token: Sourced | undefined;
  let secret: Sourced | undefined;
  try {
    if (options.dataDir) release = acquireDataDir(options.dataDir, { url: `http://${options.host}:${options.port}` });
    token = resolveSecret(options.readToken, options.dataDir, 'read-token', generateToken);
    if (options.webhooks.length > 0) secret = resolveSecret(options.webhookSecret, options.dataDir, 'webhook-secret', generateSecret);
    collector = await startCollector({
      port: options.port,
      host: options.host,
      pgliteDir: options.dataDir && pgliteDirOf(options.dataDir),
      databaseUrl: options.databaseUrl,
      readToken: token.value,
      allowedOrigins: options.allowedOrigins,
      rateLimit: options.rateLimit === 0 ? false : { max: options.rateLimit, windowMs: 60_000 },
      siteConfigs: options.siteConfigs,
      staticRoutes: options.staticRoutes,
      webhooks: secret ? { urls: options.webhooks, secret: secret.value } : undefined,
      retentionDays: options.retentionDays,
      log: printError,
    });
  } catch (err) {
    // A secret made for a start that failed was never shown: the next start makes and shows a new one.
    for (const made of [token, secret]) if (made?.from === 'file' && made.created) rmSync(made.file, { force: true });
    release();
    printError(`moodpoint serve: could not start on ${options.host}:${options.port}: ${(err as Error).message}`);
    return 1;
  }
  const count = await collector.db.count().catch(() => undefined);
  print(banner(collector, options, token, secret, count, run));

  return new Promise<number>((resolve) => {
    let closing = false;
    const stop = (signal: NodeJS.Signals) => {
      if (closing) {
        printError(`${signal} again: exiting without a clean close.`);
        release();
        process.exit(1);
      }
      closing = true;
      print(`${signal}: finishing requests in flight, then closing the store…`);
      collector.close().then(
        () => {
          release();
          print('closed.');
          finish(0);
        },
        (err: Error) => {
          release();
          printError(`Close failed: ${err.message}`);
          finish(1);
        },
      );
    };
    const finish = (code: number) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(code);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
