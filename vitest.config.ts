import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const unit = { include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'happy-dom', setupFiles: ['test/unit/setup.ts'] } as const;
const MIN = fileURLToPath(new URL('./test/artifacts/min/', import.meta.url));

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', ...unit } },
      {
        // The unit suite once more, against every module minified as the script-tag files are
        // (`npm run build -- --environment MIN_TEST` makes them): minification must not change behaviour.
        extends: true,
        resolve: { alias: [{ find: /^(?:\.\.\/)+src\/(.*)$/, replacement: `${MIN}$1` }] },
        test: { name: 'unit-min', ...unit, env: { MOODPOINT_MIN: '1' } },
      },
      { extends: true, test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
