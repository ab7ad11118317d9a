// `moodpoint serve` flags and environment, checked before anything starts: each problem is one
// line naming the flag or variable, what is wrong and how to fix it.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config';
import { formatProblem } from '../src/log';
import { validate } from '../src/validate';
import { MIN_TOKEN_LENGTH } from './auth';
import { DEFAULT_DATA_DIR } from './datadir';
import { secretKey } from './signature';

export const SERVE_HELP = `usage: moodpoint serve [options]

Runs the collector: POST /api/answers for the widget, the dashboard at /dashboard/, the report,
exports and webhooks.

  --port N              port to listen on (default 8080, or PORT); 0 picks a free one
  --host HOST           interface to listen on (default 127.0.0.1, or HOST); 0.0.0.0 for all
  --data-dir DIR        the embedded PGlite store and generated secrets (default ${DEFAULT_DATA_DIR}/)
  --webhook URL         post each new answer to URL, signed per Standard Webhooks (repeatable)
  --retention-days N    erase answers and impressions received more than N days ago (daily)
  --rate-limit N        answer posts per client address and minute (default 600; 0 = off)
  --config FILE         a widget config whose touchpoints order the report's journey (repeatable)
  --static PREFIX=DIR   also serve DIR's files under PREFIX, e.g. --static /=./public (repeatable)
  -h, --help            this text

Environment:
  DATABASE_URL              a Postgres server (postgres://user:pass@host:5432/db) instead of PGlite
  MOODPOINT_READ_TOKEN      the read token (at least ${MIN_TOKEN_LENGTH} characters); without it one is
                            generated and stored in the data dir. Required with DATABASE_URL
  MOODPOINT_WEBHOOK_SECRET  the webhooks' whsec_ secret; without it one is generated and stored in
                            the data dir. Required with DATABASE_URL and --webhook
  CORS_ORIGINS              comma-separated origins whose pages may post answers, or * (default: own origin)
  PORT, HOST                defaults for --port and --host`;

/** Everything `serve` needs, checked. */
export interface ServeOptions {
  port: number;
  host: string;
  /** The PGlite data directory; undefined with `databaseUrl`. */
  dataDir: string | undefined;
  databaseUrl: string | undefined;
  readToken: string | undefined;
  webhookSecret: string | undefined;
  allowedOrigins: string[] | undefined;
  webhooks: string[];
  retentionDays: number | undefined;
  /** Posts per address and minute; 0 switches the limit off. */
  rateLimit: number;
  siteConfigs: unknown[];
  staticRoutes: Record<string, string>;
}

export type ParsedServe = { ok: true; options: ServeOptions } | { ok: false; errors: string[] } | { help: true };

const wholeNumber = (text: string) => (/^\d{1,9}$/.test(text) ? Number(text) : undefined);

/** Reads the flags and environment; never throws, never touches the network or the store. */
export function parseServeArgs(argv: readonly string[], env: Record<string, string | undefined>): ParsedServe {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        webhook: { type: 'string', multiple: true },
        'retention-days': { type: 'string' },
        'rate-limit': { type: 'string' },
        config: { type: 'string', multiple: true },
        static: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    const name = /'(-[^' ]+)/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { ok: false, errors: [`${name ?? message}: unknown option`] };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { ok: false, errors: [`${name ?? message}: needs a value, e.g. ${name} …`] };
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      return { ok: false, errors: [`${/'([^']+)'/.exec(message)?.[1] ?? message}: unexpected argument; every option starts with --`] };
    }
    return { ok: false, errors: [message] };
  }
  if (values.help) return { help: true };

  const errors: string[] = [];
  const fail = (where: string, problem: string, fix: string) => errors.push(`${where}: ${problem}. Fix: ${fix}`);

  const portText = values.port ?? env.PORT ?? '8080';
  const port = wholeNumber(portText);
  if (port === undefined || port > 65535)
    fail(values.port ? '--port' : 'PORT', `${JSON.stringify(portText)} is not a port`, 'use a whole number 0–65535 (0 picks a free one)');

  const host = (values.host ?? env.HOST ?? '127.0.0.1').trim();
  if (!host) fail('--host', 'is empty', 'give an interface address, e.g. 127.0.0.1 or 0.0.0.0');

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl) {
    let protocol = '';
    try {
      protocol = new URL(databaseUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:')
      fail('DATABASE_URL', 'is not a postgres:// URL', 'use postgres://user:password@host:5432/database');
    if (values['data-dir']) fail('--data-dir', 'is for the embedded PGlite store, but DATABASE_URL is set', 'give one of them, not both');
  }
  const dataDir = databaseUrl ? undefined : path.resolve(values['data-dir'] ?? DEFAULT_DATA_DIR);

  const readToken = env.MOODPOINT_READ_TOKEN?.trim() || undefined;
  if (readToken !== undefined && readToken.length < MIN_TOKEN_LENGTH) {
    fail(
      'MOODPOINT_READ_TOKEN',
      `is ${readToken.length} characters, too short to keep answers private`,
      `use at least ${MIN_TOKEN_LENGTH}, e.g. \`openssl rand -base64 32\``,
    );
  }
  if (databaseUrl && readToken === undefined) {
    fail(
      'MOODPOINT_READ_TOKEN',
      'is not set; with DATABASE_URL every process must use the same read token',
      'set it to a long random string, e.g. `openssl rand -base64 32`',
    );
  }

  const webhooks: string[] = [];
  for (const raw of values.webhook ?? []) {
    let ok = false;
    try {
      const url = new URL(raw);
      ok = url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      // reported below
    }
    if (!ok)
      fail(
        '--webhook',
        `${JSON.stringify(raw)} is not an http(s) URL`,
        "give the receiver's full URL, e.g. --webhook https://hooks.example.com/moodpoint",
      );
    else if (!webhooks.includes(raw)) webhooks.push(raw);
  }
  const webhookSecret = env.MOODPOINT_WEBHOOK_SECRET?.trim() || undefined;
  if (webhookSecret !== undefined) {
    try {
      secretKey(webhookSecret);
    } catch (err) {
      errors.push(`MOODPOINT_WEBHOOK_SECRET: ${(err as Error).message}`);
    }
  } else if (databaseUrl && webhooks.length > 0) {
    fail(
      'MOODPOINT_WEBHOOK_SECRET',
      'is not set; with DATABASE_URL every process must sign with the same secret',
      'set it to `whsec_` and 32 random bytes in base64, e.g. `echo whsec_$(openssl rand -base64 32)`',
    );
  }

  let retentionDays: number | undefined;
  if (values['retention-days'] !== undefined) {
    retentionDays = wholeNumber(values['retention-days']);
    if (!retentionDays)
      fail(
        '--retention-days',
        `${JSON.stringify(values['retention-days'])} is not a number of days`,
        'use a whole number of days, at least 1',
      );
  }

  const rateText = values['rate-limit'] ?? '600';
  const rateLimit = wholeNumber(rateText);
  if (rateLimit === undefined)
    fail(
      '--rate-limit',
      `${JSON.stringify(rateText)} is not a number of posts`,
      'use a whole number of posts per minute (0 switches the limit off)',
    );

  let allowedOrigins: string[] | undefined;
  if (env.CORS_ORIGINS?.trim()) {
    allowedOrigins = [];
    for (const origin of env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean)) {
      let valid = origin === '*';
      try {
        valid ||= new URL(origin).origin === origin;
      } catch {
        // reported below
      }
      if (!valid)
        fail(
          'CORS_ORIGINS',
          `${JSON.stringify(origin)} is not an origin`,
          'list scheme://host[:port] values without a path, e.g. https://shop.example.com, or *',
        );
      else allowedOrigins.push(origin);
    }
  }

  const siteConfigs: unknown[] = [];
  for (const file of values.config ?? []) {
    let config: unknown;
    try {
      config = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      fail('--config', `cannot read ${file} as JSON (${(err as Error).message})`, 'give the path of a widget config file (moodpoint.json)');
      continue;
    }
    const result = validate(configSchema(), config);
    if (result.ok) siteConfigs.push(config);
    else for (const problem of result.problems) errors.push(`--config ${file}: ${formatProblem(problem)}`);
  }

  const staticRoutes: Record<string, string> = {};
  for (const mount of values.static ?? []) {
    const [prefix, dir] = [mount.slice(0, mount.indexOf('=')), mount.slice(mount.indexOf('=') + 1)];
    if (!mount.includes('=') || !prefix.startsWith('/') || !dir) {
      fail(
        '--static',
        `${JSON.stringify(mount)} is not PREFIX=DIR`,
        'give a URL prefix and a folder, e.g. --static /=./public or --static /shop/=./shop',
      );
      continue;
    }
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) fail('--static', `${dir} is not a folder`, 'give an existing folder after the =');
    else staticRoutes[prefix.endsWith('/') ? prefix : `${prefix}/`] = path.resolve(dir);
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    options: {
      port: port!,
      host,
      dataDir,
      databaseUrl,
      readToken,
      webhookSecret,
      allowedOrigins,
      webhooks,
      retentionDays,
      rateLimit: rateLimit!,
      siteConfigs,
      staticRoutes,
    },
  };
}
