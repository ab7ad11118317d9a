// What scripts and tools under plain node import from the built collector (dist/server/index.js):
// the fault bench, `npm run bench`, `npm run demo:seed`.
export { startCollector, type Collector, type CollectorOptions } from './collector';
export { openStore, type Store, type StoredAnswer, type StoredImpression } from './store';
export { acquireDataDir, describeDatabase, pgliteDirOf } from './datadir';
