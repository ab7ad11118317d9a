// Where the demo keeps its answers, and a lock so that only one process opens PGlite's
// directory at a time (two would corrupt it): the demo server and `npm run demo:seed` both use it.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The demo's PGlite directory (gitignored). */
export const PGLITE_DIR = path.join(REPO, '.data', 'pglite');

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Takes `<dir>.lock` for this process, or throws naming the process that holds it. A lock left
 * by a process that no longer runs is taken over. Returns the release function (also run at exit).
 * @param {string} dir
 * @param {{ url?: string, purpose?: string }} [info] what the holder is, for the other's message
 */
export function acquireDataDir(dir, info = {}) {
  mkdirSync(dir, { recursive: true });
  const lock = `${dir}.lock`;
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
      if (err.code !== 'EEXIST') throw err;
    }
    let holder;
    try {
      holder = JSON.parse(readFileSync(lock, 'utf8'));
    } catch {
      holder = {};
    }
    if (Number.isInteger(holder.pid) && isRunning(holder.pid)) {
      const what = holder.url ? `the demo server at ${holder.url}` : (holder.purpose ?? 'another process');
      throw new Error(
        `${path.relative(process.cwd(), dir) || dir} is in use by ${what} (pid ${holder.pid}); PGlite allows one process at a time. Stop it first (Ctrl+C), then try again.`,
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

/** A line saying where answers live, without a password. */
export function describeDatabase({ dataDir, databaseUrl }) {
  if (databaseUrl) {
    try {
      const url = new URL(databaseUrl);
      if (url.password) url.password = '***';
      return `Postgres ${url.toString()}`;
    } catch {
      return 'Postgres (DATABASE_URL)';
    }
  }
  return dataDir ? `PGlite ${path.relative(process.cwd(), dataDir) || dataDir}` : 'PGlite in memory';
}
