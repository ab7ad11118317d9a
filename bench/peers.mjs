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
 * The peers' scripts, from their npm packages in bench/node_modules.
 *
 * PostHog ships its core (`dist/array.js`, the file its snippet loads) and its surveys extension
 * (`dist/surveys.js`, which the core loads from its assets host when surveys are on) prebuilt.
 * Sentry's npm packages ship no browser bundles (its CDN files are built in its own repository),
 * so they are rebuilt here the way its CDN files are made: an SDK bundle (`@sentry/core` and
 * `init`), and the feedback add-on (the synchronous integration, with its form and screenshot
 * editor, as the benchmark allows no network at run time) with `@sentry/core` left to the SDK
 * already on the page. `bundle` is SDK and feedback in one file, for the bytes a page loads in all.
 */
export async function loadPeers() {
  const core = { external: ['@sentry/core'], globals: { '@sentry/core': 'Sentry' } };
  const [feedback, sdk, all] = await Promise.all([
    bundle(`export { feedbackSyncIntegration } from '@sentry/browser';`, { name: 'SentryFeedback', ...core }),
    bundle(`export * from '@sentry/core'; export { init } from '@sentry/browser';`, { name: 'Sentry' }),
    bundle(`export { init, feedbackSyncIntegration } from '@sentry/browser';`, { name: 'Sentry' }),
  ]);
  return {
    posthog: {
      version: version('posthog-js'),
      surveys: readFileSync(modules('posthog-js/dist/surveys.js'), 'utf8'),
      core: readFileSync(modules('posthog-js/dist/array.js'), 'utf8'),
    },
    sentry: { version: version('@sentry/browser'), feedback, sdk, bundle: all },
  };
}
