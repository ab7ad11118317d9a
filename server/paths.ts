import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Built, this file is dist/server/*.js; in tests it runs as server/paths.ts next to dist/.
const here = path.dirname(fileURLToPath(import.meta.url));
const parent = path.dirname(here);

/** The package's build: the widget script, its locales and the dashboard bundle. */
export const DIST_DIR = path.basename(parent) === 'dist' ? parent : path.join(parent, 'dist');

/** The bundled dashboard (`npm run build` writes it). */
export const DASHBOARD_DIR = path.join(DIST_DIR, 'dashboard');
