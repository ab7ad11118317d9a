import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/moodpoint.mjs', import.meta.url));
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [BIN, ...args]).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const file = (name: string, content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'mp-')), name);
  writeFileSync(path, content);
  return path;
};

describe('npx moodpoint validate', () => {
  it('says a valid config is valid and exits 0', async () => {
    const r = await run('validate', fileURLToPath(new URL('../../demo/shop/moodpoint.json', import.meta.url)));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/moodpoint\.json: valid \(4 touchpoints\)/);
  });

  it('prints each problem on one line with its path, the same as the widget, and exits 1', async () => {
    const bad = file('bad.json', JSON.stringify({ endpoint: 'http://x.example', touchpoints: [{ id: 'a', prompts: ['npx'], colour: 1 }] }));
    const r = await run('validate', bad);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${bad}: endpoint: must be an https URL (http only on localhost)`,
      `${bad}: touchpoints[0].prompts[0]: unknown kind "npx". Fix: use one of "nps", "ces", "emotion"`,
      `${bad}: touchpoints[0].colour: unknown key. Fix: remove it or check its spelling (keys are case-sensitive)`,
    ]);
  });

  it('reports a file that is not JSON, and usage errors', async () => {
    const r = await run('validate', file('x.json', '{ nope'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read it as JSON/);
    expect((await run()).code).toBe(2);
  });
});
