import { expect, it } from 'vitest';
import { createOutbox } from '../../src/outbox';

it('runs against the code its project names: the sources, or the minified modules (unit-min)', () => {
  const code = createOutbox.toString();
  if (process.env.MOODPOINT_MIN) expect(code).not.toMatch(/\n|createOutbox|limits/);
  else expect(code).toMatch(/^function createOutbox\(kv, limits\)/);
});
