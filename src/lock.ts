/** The in-tab lock: a chain of holders. Made on first use, like the set of locks this tab holds. */
let chain: Promise<unknown> | undefined;
let localHeld: Set<string> | undefined;
const held = () => (localHeld ??= new Set());

/** The page's Web Locks, unless missing or broken (a page may have replaced them): then locks are per tab. */
function webLocks(): LockManager | undefined {
  const locks = globalThis.navigator?.locks;
  return typeof locks?.request === 'function' ? locks : undefined;
}

/**
 * Runs `fn` while holding the named lock across tabs (Web Locks), or within this tab where Web
 * Locks are missing or throw; `fn` learns which. With `ifAvailable`, returns `undefined` at once
 * when another holder has it.
 */
export function withLock<T>(name: string, fn: (acrossTabs: boolean) => Promise<T>, ifAvailable = false): Promise<T | undefined> {
  try {
    const locks = webLocks();
    if (locks) return locks.request(name, { ifAvailable }, async (lock) => (lock ? fn(true) : undefined)) as Promise<T | undefined>;
  } catch {
    /* fall through to the in-tab lock */
  }
  const inTab = () => fn(false);
  const run = (chain ?? Promise.resolve()).then(inTab, inTab);
  chain = run.catch(() => undefined);
  return run;
}

/** Holds the named lock until the returned release is called; other tabs see it in `heldNames`. */
export function hold(name: string): () => void {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  held().add(name);
  try {
    webLocks()
      ?.request(name, () => done)
      .catch(() => undefined);
  } catch {
    /* this tab still knows it holds the lock */
  }
  return () => {
    held().delete(name);
    release();
  };
}

/** Names of the locks held now that start with `prefix`: in every tab with Web Locks, else in this one. */
export async function heldNames(prefix: string): Promise<Set<string>> {
  const names = new Set([...held()].filter((n) => n.startsWith(prefix)));
  try {
    for (const l of (await webLocks()?.query())?.held ?? []) if (l.name?.startsWith(prefix)) names.add(l.name);
  } catch {
    /* only this tab's locks are known */
  }
  return names;
}
