import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

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
];
