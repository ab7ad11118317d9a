import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reference collector (PGlite in a temporary directory) that the bench pages post to, run in
 * its own process (collectorProcess.mjs), with the time spent in its store's insert statements
 * added up, so a flush's time can be split between storing and the rest of a request (HTTP,
 * JSON, validation), and a CPU profile of that process on request.
 */
export async function startBenchCollector(origin) {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'moodpoint-bench-'));
  const child = fork(fileURLToPath(new URL('./collectorProcess.mjs', import.meta.url)), [origin, dataDir], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  let next = 0;
  const endpoint = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench collector exited with ${code} before it was ready`)));
    child.on('message', (message) => {
      if (message.ready) return resolve(message.ready);
      const { resolve: done, reject: fail } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) fail(new Error(`bench collector: ${message.error}`));
      else done(message.value);
    });
  });
  const call = (name) =>
    new Promise((resolve, reject) => {
      pending.set(++next, { resolve, reject });
      child.send({ id: next, call: name });
    });
  return {
    endpoint,
    /** Answers stored so far. */
    stored: () => call('stored'),
    /** Insert statements of answers and their time since the last call of this. */
    takeInserts: () => call('takeInserts'),
    /** Starts a CPU profile of the collector's process. */
    profileStart: () => call('profileStart'),
    /** Stops it and resolves to the profile. */
    profileStop: () => call('profileStop'),
    async close() {
      await call('close');
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
