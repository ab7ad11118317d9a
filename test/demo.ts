import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What `npm start` mounts next to the collector (demo/mounts.json): the shop, the recipes and their vendor folders. */
export function demoRoutes(): Record<string, string> {
  const mounts = JSON.parse(readFileSync(`${ROOT}demo/mounts.json`, 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(mounts).map(([prefix, dir]) => [prefix, `${ROOT}${dir}`]));
}

/** The demo shop's widget config, which orders the report's journey as `npm start` does. */
export const demoConfig: any = JSON.parse(readFileSync(`${ROOT}demo/shop/moodpoint.json`, 'utf8'));
