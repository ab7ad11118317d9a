import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Locale files ship next to the script as minified JSON, loaded only when a page needs one. */
const locales = {
  name: 'locales',
  generateBundle() {
    for (const file of readdirSync('src/locales').filter((f) => f.endsWith('.json'))) {
      const source = JSON.stringify(JSON.parse(readFileSync(`src/locales/${file}`, 'utf8')));
      this.emitFile({ type: 'asset', fileName: `locales/${file}`, source });
    }
  },
};

/**
 * Prints the Subresource Integrity value of the script-tag build (and writes it next to it), so a
 * site owner can pin the exact file: `<script src=… integrity="sha384-…" crossorigin="anonymous">`.
 */
const integrity = {
  name: 'integrity',
  writeBundle(options, bundle) {
    const code = bundle['moodpoint.min.js'].code;
    const sri = `sha384-${createHash('sha384').update(code).digest('base64')}`;
    writeFileSync('dist/moodpoint.min.js.sri', `${sri}\n`);
    console.log(`dist/moodpoint.min.js integrity="${sri}"`);
  },
};

/** Terser settings shared by the script-tag build: `_`-prefixed properties are private and mangled. */
const minify = terser({
  ecma: 2020,
  module: false,
  compress: { passes: 3, pure_getters: true },
  mangle: { properties: { regex: /^_/ } },
  format: { comments: false },
});

/** zod's annotations and internal cycles are its own business, not ours to read on every build. */
const onwarn = (warning, warn) => {
  if (warning.id?.includes('node_modules') || warning.ids?.every((id) => id.includes('node_modules'))) return;
  if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.some((id) => id.includes('node_modules'))) return;
  warn(warning);
};

/**
 * `moodpoint.schema.json`, made from the zod config schema once the ESM build is written, so
 * editors can autocomplete `moodpoint.json` through `"$schema"` with the rules the widget applies.
 */
const jsonSchema = {
  name: 'json-schema',
  async writeBundle() {
    const { configSchema } = await import(`./dist/config.js?${Date.now()}`);
    const { toJSONSchema } = await import('zod/mini');
    const schema = toJSONSchema(configSchema(), {
      target: 'draft-2020-12',
      io: 'input',
      // zod 4.4.3 writes a fixed tuple as bare `prefixItems`, which allows any length: say it.
      override({ jsonSchema: js }) {
        if (Array.isArray(js.prefixItems) && js.items === undefined) {
          js.minItems = js.maxItems = js.prefixItems.length;
          js.items = false;
        }
      },
    });
    schema.$id = 'https://unpkg.com/moodpoint/dist/moodpoint.schema.json';
    schema.title = 'moodpoint config';
    writeFileSync('dist/moodpoint.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
  },
};

/** A bare import (`hono`, `node:fs`, `zod/mini`): left to Node to load, never bundled into the collector. */
const isPackage = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

/** Chunk names carry hashes: an earlier build's chunks would linger in the package without this. */
const cleanServerDir = {
  name: 'clean-server-dir',
  buildStart() {
    rmSync('dist/server', { recursive: true, force: true });
  },
};

/** The dashboard page, styles and icon, next to its script. */
const dashboardFiles = {
  name: 'dashboard-files',
  generateBundle() {
    for (const file of ['index.html', 'dashboard.css', 'favicon.svg']) {
      this.emitFile({ type: 'asset', fileName: file, source: readFileSync(`server/dashboard/${file}`) });
    }
  },
};

export default [
  {
    input: 'src/iife.ts',
    onwarn,
    output: { file: 'dist/moodpoint.min.js', format: 'iife', sourcemap: false },
    plugins: [
      resolve({ browser: true }),
      typescript({ tsconfig: './tsconfig.build.json', declaration: false }),
      minify,
      locales,
      integrity,
    ],
  },
  {
    input: ['src/index.ts', 'src/answer.ts', 'src/metrics.ts', 'src/validate.ts'],
    onwarn,
    external: [/^preact/, /^zod/, 'idb-keyval'],
    output: { dir: 'dist', format: 'es', preserveModules: true, preserveModulesRoot: 'src' },
    plugins: [typescript({ tsconfig: './tsconfig.build.json', declaration: true, declarationDir: 'dist', outDir: 'dist' }), jsonSchema],
  },
  {
    // The collector: one bundle per entry, with the widget code it shares (schemas, metrics)
    // inlined, so dist/server/ runs on its own; packages stay imports (they are dependencies).
    input: { serve: 'server/serve.ts', index: 'server/index.ts', ingest: 'server/ingest.ts' },
    onwarn,
    external: isPackage,
    output: { dir: 'dist/server', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
    plugins: [cleanServerDir, typescript({ tsconfig: './tsconfig.server.json' })],
  },
  {
    // Types for `moodpoint/ingest`, the backend recipes' way in.
    input: { ingest: 'server/ingest.ts' },
    external: isPackage,
    output: { dir: 'dist/server', format: 'es', entryFileNames: '[name].d.ts' },
    plugins: [dts({ tsconfig: './tsconfig.server.json' })],
  },
  {
    // The dashboard with preact, htm and Chart.js in one file, so `moodpoint serve` needs no devDependencies.
    input: 'server/dashboard/app.js',
    onwarn,
    output: { file: 'dist/dashboard/app.js', format: 'es' },
    plugins: [resolve({ browser: true }), terser({ ecma: 2020, module: true, format: { comments: false } }), dashboardFiles],
  },
];
