// `moodpoint serve` as a real child process (the built CLI), for the tests that need the whole
// product: flags, environment, the banner, signals.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/moodpoint.mjs', import.meta.url));

export interface Served {
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `moodpoint serve …args` to completion (for argument errors and --help). */
export function runServe(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...cleanEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment without the variables `serve` reads, so the caller's shell cannot change a test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'MOODPOINT_READ_TOKEN', 'MOODPOINT_WEBHOOK_SECRET', 'CORS_ORIGINS', 'PORT', 'HOST']) delete env[key];
  return env;
}

/** Starts `moodpoint serve …args` and resolves once it says where it listens. */
export function startServe(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...cleanEnv(), ...env } });
    let output = '';
    let exited: Promise<number | null> | undefined;
    const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moodpoint serve did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          stop(signal = 'SIGTERM') {
            exited ??= (child.kill(signal), exit);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`moodpoint serve exited (${code}) before it listened:\n${output}`));
    });
  });
}
