import type { Emitter } from './emitter';
import { logProblem, type Problem } from './log';

/** How the widget tells the site owner about a problem without ever throwing into the page. */
export interface Reporter {
  /** Logs the problem (path, message, fix) and emits it as an `error` event. */
  report(problem: Problem, extra?: { ids?: string[]; status?: number }): void;
  /** Runs async work so that nothing it throws can reach the host page; resolves `undefined` then. */
  guard<T>(where: string, work: () => Promise<T>): Promise<T | undefined>;
  /** Wraps a callback (UI, timers) so that what it throws is reported instead of reaching the page. */
  safe<A extends unknown[]>(where: string, fn: (...args: A) => void): (...args: A) => void;
}

const FIX = 'please report this with the console output';

/** Creates the one reporter of a widget, emitting on its event hub. */
export function createReporter(emitter: Emitter): Reporter {
  const report: Reporter['report'] = (problem, extra) => {
    logProblem(problem);
    emitter.emit('error', { ...problem, ...extra });
  };
  const failed = (where: string, error: unknown) => report({ path: where, message: `failed: ${String(error)}`, fix: FIX });
  return {
    report,
    async guard(where, work) {
      try {
        return await work();
      } catch (error) {
        failed(where, error);
        return undefined;
      }
    },
    safe:
      (where, fn) =>
      (...args) => {
        try {
          fn(...args);
        } catch (error) {
          failed(where, error);
        }
      },
  };
}
