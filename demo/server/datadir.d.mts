/** The demo's PGlite directory, `.data/pglite`. */
export const PGLITE_DIR: string;
/** Locks `<dir>.lock` for this process (throws naming the holder); returns the release function. */
export function acquireDataDir(dir: string, info?: { url?: string; purpose?: string }): () => void;
/** Where answers live, for a log line, with any password hidden. */
export function describeDatabase(options: { dataDir?: string; databaseUrl?: string }): string;
