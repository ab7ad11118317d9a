// `npm start` (after `npm run build`): `moodpoint serve` with the demo shop, the recipes and their
// vendor folders mounted (demo/mounts.json), the shop's widget config for the report, and the
// demo's data in .data/ (gitignored). Every flag and variable of `moodpoint serve` works here
// too, e.g. `npm start -- --port 3000` or `DATABASE_URL=… npm start`.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

if (!existsSync(`${ROOT}dist/server/serve.js`) || !existsSync(`${ROOT}dist/moodpoint.min.js`)) {
  console.error('The build is missing: run `npm run build` first (npm start does it).');
  process.exit(1);
}

const mounts = JSON.parse(readFileSync(`${ROOT}demo/mounts.json`, 'utf8'));
const args = [
  ...Object.entries(mounts).flatMap(([prefix, dir]) => ['--static', `${prefix}=${ROOT}${dir}`]),
  '--config',
  `${ROOT}demo/shop/moodpoint.json`,
  ...(process.env.DATABASE_URL ? [] : ['--data-dir', `${ROOT}.data`]),
  ...process.argv.slice(2),
];

const { runServe } = await import('../dist/server/serve.js');
process.exitCode = await runServe(args, {
  // A local demo: the one reading this terminal is the one who should open the dashboard.
  alwaysShowToken: true,
  describe: (url) => [
    `  shop:       ${url}/   (place an order, or close a support chat, and answer the survey)`,
    `  recipes:    ${url}/recipes/   (plain HTML, React, Vue, Next.js, Google Tag Manager)`,
    '  seed:       stop the server, `npm run demo:seed` adds eight weeks of synthetic answers',
  ],
});
