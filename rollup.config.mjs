import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

const sri = (code) => `sha384-${createHash('sha384').update(code).digest('base64')}`;

/**
 * Prints the Subresource Integrity value of a script-tag file (and writes it next to it), so a
 * site owner can pin the exact file: `<script src=… integrity="sha384-…" crossorigin="anonymous">`.
 */
const integrity = (file) => ({
  name: 'integrity',
  writeBundle(options, bundle) {
    const value = sri(bundle[file].code);
    writeFileSync(`dist/${file}.sri`, `${value}\n`);
    console.log(`dist/${file} integrity="${value}"`);
  },
});

/**
 * The loader loads the prompt file by inserting a script element: the ESM build's dynamic import
 * is swapped for that, and the prompt file's integrity value (built just before) is written in.
 */
const promptScript = {
  name: 'prompt-script',
  resolveId(source, importer) {
    if (source === './loadPrompt' && importer?.endsWith('.ts')) return this.resolve('./loadPrompt.script', importer, { skipSelf: true });
    return null;
  },
  renderChunk(code) {
    const value = sri(readFileSync('dist/moodpoint.prompt.js', 'utf8'));
    if (!code.includes('__PROMPT_INTEGRITY__')) this.error('the loader has no __PROMPT_INTEGRITY__ to fill in');
    return { code: code.replace('__PROMPT_INTEGRITY__', value), map: null };
  },
};

/**
 * The prompt file's code runs when the loader first needs it, not when the file loads: the file
 * puts a function that runs its code and returns its module under `Symbol.for(PROMPT_KEY)`.
 * A prefetch at idle then costs a page the file's parse, not the setup of zod's classes and preact.
 */
const deferred = {
  name: 'deferred',
  renderChunk(code) {
    const head = `var ${PROMPT_NAME} = (function () {`;
    const tail = '})();';
    const body = code.trimEnd();
    const key = readFileSync('src/promptModule.ts', 'utf8').match(/PROMPT_KEY = '([^']+)'/)?.[1];
    if (!body.startsWith(head) || !body.endsWith(tail)) this.error('the prompt file is not the IIFE `deferred` wraps');
    if (!key) this.error('src/promptModule.ts has no PROMPT_KEY');
    return { code: `window[Symbol.for(${JSON.stringify(key)})] = function () {${body.slice(head.length, -tail.length)}};\n`, map: null };
  },
};
/** The IIFE's name in the prompt file's build, gone once `deferred` has wrapped it. */
const PROMPT_NAME = 'moodpointPrompt';

/** Terser settings of the script-tag files. */
const minify = () =>
  terser({
    ecma: 2020,
    module: false,
    compress: { passes: 3, pure_getters: true },
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
    const { configSchema, wholeNumber } = await import(`./dist/config.js?${Date.now()}`);
    const { toJSONSchema } = await import('zod/mini');
    const schema = toJSONSchema(configSchema(), {
      target: 'draft-2020-12',
      io: 'input',
      // A number with the widget's whole-number check is an integer (see `wholeNumber` in src/config.ts).
      override({ zodSchema, jsonSchema: js }) {
        if (zodSchema._zod.def.checks?.includes(wholeNumber())) js.type = 'integer';
      },
    });
    schema.$id = 'https://unpkg.com/moodpoint/dist/moodpoint.schema.json';
    schema.title = 'moodpoint config';
    writeFileSync('dist/moodpoint.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
  },
};

const iife = (input, file, plugins, name) => ({
  input,
  onwarn,
  output: { file: `dist/${file}`, format: 'iife', name, sourcemap: false },
  plugins: [...plugins, resolve({ browser: true }), typescript({ tsconfig: './tsconfig.build.json', declaration: false }), minify()],
});

/** Every module of `src/` (its folder walked), for the minified build the unit suite runs against once more. */
const sources = (dir = 'src') =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );

/**
 * `--environment MIN_TEST`: every module minified as the script-tag files are, into
 * test/artifacts/min, where the `unit-min` test project finds them in place of `src/`.
 */
const minTest = {
  input: sources(),
  onwarn,
  external: [/^preact/, /^zod/, 'idb-keyval'],
  output: { dir: 'test/artifacts/min', format: 'es', preserveModules: true, preserveModulesRoot: 'src' },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json', declaration: false, outDir: 'test/artifacts/min' }),
    terser({ ecma: 2020, module: true, compress: { passes: 3, pure_getters: true }, format: { comments: false } }),
  ],
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

// In this order: the loader's build reads the prompt file's integrity value.
export default [
  iife('src/prompt.script.ts', 'moodpoint.prompt.js', [deferred, integrity('moodpoint.prompt.js')], PROMPT_NAME),
  iife('src/loader.ts', 'moodpoint.min.js', [promptScript, locales, integrity('moodpoint.min.js')]),
  {
    input: ['src/index.ts', 'src/answer.ts', 'src/config.ts', 'src/metrics.ts', 'src/validate.ts', 'src/log.ts'],
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
  ...(process.env.MIN_TEST ? [minTest] : []),
];
