import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * One lint over the whole tree. Type-aware rules catch promises nobody awaits or handles: a
 * floating promise in the widget is an unhandled rejection in the host page.
 */
export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/node_modules/', 'test/artifacts/', '.data/', '.moodpoint/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // preact's act() flushes synchronously for a synchronous callback; its returned thenable carries nothing.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', name: 'act', package: 'preact' }] },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**', 'server/dashboard/**', 'demo/shop/**', 'demo/recipes/**/*.js', 'test/browser/pages/**', 'bench/page.js'],
    languageOptions: { globals: { ...globals.browser, moodpoint: 'readonly' } },
  },
  {
    // Functions these run inside the page (page.evaluate) use the page's globals.
    files: ['tools/faults/core.mjs', 'bench/run.mjs'],
    languageOptions: { globals: { ...globals.browser, bench: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
