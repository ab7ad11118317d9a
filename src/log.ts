const PREFIX = '[moodpoint]';

/** A problem worth telling the site owner about: where it is, what is wrong, how to fix it. */
export interface Problem {
  path: string;
  message: string;
  fix?: string;
}

/** Formats a problem as one console line: `path: message. Fix: ...`. */
export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.message}${p.fix ? `. Fix: ${p.fix}` : ''}`;
}

/** Reports a problem on the console without ever throwing (a page may have replaced `console`). */
export function logProblem(p: Problem): void {
  try {
    console.error(PREFIX, formatProblem(p));
  } catch {
    /* the console is the page's; nothing else can be done */
  }
}

/** Debug-only log line; silent unless `debug` is on. */
export function debugLog(enabled: boolean | undefined, ...args: unknown[]): void {
  if (!enabled) return;
  try {
    console.info(PREFIX, ...args);
  } catch {
    /* see logProblem */
  }
}
