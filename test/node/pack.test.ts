import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8'));

/** What `npm publish` would upload, from npm itself rather than a copy of its rules. */
let files: string[];
beforeAll(async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
  files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path).sort();
}, 60_000);

describe('the npm package', () => {
  it('has the script-tag build, the ESM entries with types, the locales, the schema and the CLI', () => {
    const locales = readdirSync(`${ROOT}src/locales`)
      .filter((f) => f.endsWith('.json'))
      .map((f) => `dist/locales/${f}`);
    expect(locales.length).toBe(8);
    for (const file of [
      'dist/moodpoint.min.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/metrics.js',
      'dist/metrics.d.ts',
      'dist/moodpoint.schema.json',
      'bin/moodpoint.mjs',
      'package.json',
      'README.md',
      ...locales,
    ])
      expect(files).toContain(file);
  });

  it('has every file that package.json exports, and main, types and bin', () => {
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin as Record<string, string>)];
    for (const entry of Object.values(pkg.exports as Record<string, string | Record<string, string>>))
      targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    for (const target of targets) {
      const path = posix.normalize(target);
      if (path.includes('*')) {
        const [prefix, suffix] = path.split('*') as [string, string];
        expect(
          files.some((f) => f.startsWith(prefix) && f.endsWith(suffix)),
          target,
        ).toBe(true);
      } else expect(files, target).toContain(path);
    }
  });

  it('resolves every relative import of its JavaScript inside the package', () => {
    for (const file of files.filter((f) => /\.m?js$/.test(f) && f !== 'dist/moodpoint.min.js')) {
      const code = readFileSync(`${ROOT}${file}`, 'utf8');
      for (const [, spec] of code.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g))
        expect(files, `${file} imports ${spec}`).toContain(posix.join(posix.dirname(file), spec!));
    }
  });

  it('has no sources, tests, demo, source maps or dotfiles', () => {
    const unwanted = files.filter(
      (f) =>
        /^(src|test|demo|docs|bench|node_modules)\//.test(f) ||
        /(^|\/)\./.test(f) ||
        /\.(test|spec)\./.test(f) ||
        f.endsWith('.map') ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')) ||
        f.endsWith('.tsx'),
    );
    expect(unwanted).toEqual([]);
  });
});
