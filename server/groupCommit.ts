// Batches that arrive while one is being stored go into the database together ("group commit").
// A statement's fixed cost (parse, plan, commit) is most of the cost of a batch of 50 answers:
// in PGlite, 10,000 answers take about twice as long in batches of 50 as in batches of 200.
// A widget flushing a long outbox keeps several posts in flight, so they meet here.

/** How calls are grouped. */
export interface GroupOptions<I> {
  /** Only calls with equal keys share a statement (their options differ otherwise). */
  key(input: I): string;
  /** The rows a call brings; a group holds at most `maxSize` (one call alone may hold more). */
  size(input: I): number;
  maxSize: number;
  /** Statements running at once: 1 for PGlite, which runs one at a time anyway; more for a pool. */
  parallel: number;
}

interface Waiting<I, R> {
  input: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Wraps `run`, which stores several calls' inputs in one statement and returns each call's
 * result in order. A call starts its statement in the event loop's next turn; calls made until
 * then, or while statements run, wait for the next free one and go in together. When a merged statement fails, its calls
 * are stored one by one, so one batch the database refuses cannot fail the others.
 */
export function groupCommit<I, R>(run: (inputs: I[]) => Promise<R[]>, options: GroupOptions<I>): (input: I) => Promise<R> {
  const queue: Waiting<I, R>[] = [];
  let running = 0;
  let scheduled = false;

  const take = (): Waiting<I, R>[] => {
    const key = options.key(queue[0]!.input);
    const group: Waiting<I, R>[] = [];
    let rows = 0;
    for (let i = 0; i < queue.length;) {
      const call = queue[i]!;
      const size = options.size(call.input);
      if (options.key(call.input) === key && (group.length === 0 || rows + size <= options.maxSize)) {
        group.push(call);
        rows += size;
        queue.splice(i, 1);
      } else i++;
    }
    return group;
  };

  const store = async (group: Waiting<I, R>[]) => {
    try {
      const results = await run(group.map((call) => call.input));
      group.forEach((call, i) => call.resolve(results[i]!));
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const call of group) await run([call.input]).then(([result]) => call.resolve(result!), call.reject);
    }
  };

  const next = () => {
    scheduled = false;
    while (running < options.parallel && queue.length > 0) {
      running++;
      void store(take()).finally(() => {
        running--;
        schedule();
      });
    }
  };
  // A statement starts after the event loop's current turn, once requests already received have
  // been read: PGlite runs inside this thread, so while it stores one batch no other request is
  // read, and without this wait no two batches would ever meet.
  const schedule = () => {
    if (scheduled || running >= options.parallel || queue.length === 0) return;
    scheduled = true;
    setImmediate(next);
  };

  return (input) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      schedule();
    });
}
