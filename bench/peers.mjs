import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const modules = (path) => fileURLToPath(new URL(`./node_modules/${path}`, import.meta.url));
const version = (name) => JSON.parse(readFileSync(modules(`${name}/package.json`), 'utf8')).version;

/**
 * Bundles `source` (an ES module importing from bench/node_modules) into one minified IIFE, with
 * the tools of our own build: rollup, node-resolve, and terser's default compression and mangling.
 */
async function bundle(source, { name, external = [], globals = {} }) {
  const entry = `${HERE}entry.js`;
  const build = await rollup({
    input: entry,
    external,
    // Third-party code's warnings (circular imports, annotations) are not ours to fix.
    onwarn: () => {},
    plugins: [
      { name: 'entry', resolveId: (id) => (id === entry ? id : null), load: (id) => (id === entry ? source : null) },
      resolve({ browser: true, rootDir: HERE }),
      terser({ ecma: 2020, format: { comments: false } }),
    ],
  });
  const { output } = await build.generate({ format: 'iife', name, globals });
  await build.close();
  return output[0].code;
}

/**
 * The peers' scripts, taken from their npm packages in bench/node_modules.
 *
 * PostHog ships its surveys extension prebuilt (`dist/surveys.js`, loaded next to its core).
 * Sentry's npm packages ship no browser bundles (its CDN files are built in its own repository),
 * so its feedback add-on is rebuilt here the way its CDN add-ons are made: the feedback
 * integration (the synchronous one, with its form and screenshot editor, since the benchmark
 * allows no network at run time) with `@sentry/core` left to the SDK already on the page. That
 * core is evaluated first, untimed, as `setup`.
 *
 * `stack` lists the files a page needs in all to show the peer's prompt, for a bytes-only comparison.
 */
export async function loadPeers() {
  const posthog = readFileSync(modules('posthog-js/dist/surveys.js'), 'utf8');
  const core = { external: ['@sentry/core'], globals: { '@sentry/core': 'Sentry' } };
  const [feedback, sentryCore, sentrySdk] = await Promise.all([
    bundle(`export { feedbackSyncIntegration } from '@sentry/browser';`, { name: 'SentryFeedback', ...core }),
    bundle(`export * from '@sentry/core';`, { name: 'Sentry' }),
    bundle(`export { init, feedbackSyncIntegration } from '@sentry/browser';`, { name: 'Sentry' }),
  ]);
  return [
    {
      key: 'posthog',
      name: `PostHog surveys.js ${version('posthog-js')}`,
      code: posthog,
      stack: { name: 'PostHog array.js + surveys.js', files: [readFileSync(modules('posthog-js/dist/array.js'), 'utf8'), posthog] },
    },
    {
      key: 'sentry',
      name: `Sentry feedback ${version('@sentry/browser')}`,
      code: feedback,
      setup: sentryCore,
      stack: { name: 'Sentry SDK (init) + feedback, one bundle', files: [sentrySdk] },
    },
  ];
}
