// The data directory of `moodpoint serve`: the PGlite store, the generated read token and
// webhook secret, and a lock so that only one process opens it at a time (two would corrupt
// PGlite). `npm run demo:seed` takes the same lock.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where `moodpoint serve` keeps its data when `--data-dir` is not given (relative to the working directory). */
export const DEFAULT_DATA_DIR = '.moodpoint';

/** The PGlite database inside a data directory. */
export const pgliteDirOf = (dataDir: string) => path.join(dataDir, 'pglite');

/** The lock file inside a data directory. */
const lockOf = (dataDir: string) => path.join(dataDir, 'lock');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's lock for this process, or throws naming the process that holds it.
 * A lock left by a process that no longer runs is taken over. Returns the release function (also
 * run at exit). `info` says what the holder is, for the other's message.
 */
export function acquireDataDir(dir: string, info: { url?: string; purpose?: string } = {}): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = lockOf(dir);
  const mine = JSON.stringify({ pid: process.pid, ...info });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(lock, mine, { flag: 'wx' });
      const release = () => {
        try {
          if (readFileSync(lock, 'utf8') === mine) unlinkSync(lock);
        } catch {
          // Already gone.
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: unknown; url?: string; purpose?: string };
    try {
      holder = JSON.parse(readFileSync(lock, 'utf8'));
    } catch {
      holder = {};
    }
    if (Number.isInteger(holder.pid) && isRunning(holder.pid as number)) {
      const what = holder.url ? `moodpoint serve at ${holder.url}` : (holder.purpose ?? 'another process');
      throw new Error(
        `${path.relative(process.cwd(), dir) || dir} is in use by ${what} (pid ${String(holder.pid)}); PGlite allows one process at a time. Stop it first (Ctrl+C), then try again.`,
      );
    }
    // Stale: its process is gone.
    try {
      unlinkSync(lock);
    } catch {
      // Someone else cleaned it up.
    }
  }
  throw new Error(`could not lock ${dir}`);
}

/**
 * A secret kept in a file of the data directory (readable by its owner only): the one stored
 * there, or a new one from `make`, written first. `created` says which, so it is announced once.
 */
export function readOrCreateSecret(dir: string, name: string, make: () => string): { value: string; file: string; created: boolean } {
  const file = path.join(dir, name);
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (value) return { value, file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true });
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return { value, file, created: true };
}

/** A line saying where answers live, without a password. */
export function describeDatabase({ pgliteDir, databaseUrl }: { pgliteDir?: string | undefined; databaseUrl?: string | undefined }): string {
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (url.password) url.password = '***';
      return `Postgres ${url.toString()}`;
    } catch {
      return 'Postgres (DATABASE_URL)';
    }
  }
  return pgliteDir ? `PGlite ${path.relative(process.cwd(), pgliteDir) || pgliteDir}` : 'PGlite in memory';
}
