// What scripts and tools import from the built collector (dist/server/index.js).
export { startCollector, DEFAULT_RATE_LIMIT, MAX_ANSWERS, MAX_BODY_BYTES, type Collector, type CollectorOptions } from './collector';
export { openStore, type Store, type StoredAnswer, type StoredImpression } from './store';
export { acquireDataDir, describeDatabase, pgliteDirOf, DEFAULT_DATA_DIR } from './datadir';
export { readBatch } from './ingest';
export { signWebhook, verifyWebhook, generateSecret } from './signature';
