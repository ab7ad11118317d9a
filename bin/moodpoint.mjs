#!/usr/bin/env node
// `moodpoint validate <file>`: the widget's own config validation, one line per problem.
// `moodpoint serve [options]`: the collector and dashboard (`moodpoint serve --help`).
import { readFile } from 'node:fs/promises';

const USAGE = `usage: moodpoint validate <moodpoint.json> [...more files]
       moodpoint serve [options]    (moodpoint serve --help lists them)`;
const [command, ...args] = process.argv.slice(2);

if (command === 'serve') {
  const { runServe } = await import('../dist/server/serve.js');
  process.exitCode = await runServe(args);
} else if (command === 'validate' && args.length > 0) {
  const { configSchema } = await import('../dist/config.js');
  const { validate } = await import('../dist/validate.js');
  const { formatProblem } = await import('../dist/log.js');
  let failed = false;
  for (const file of args) {
    let config;
    try {
      config = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      console.error(`${file}: cannot read it as JSON (${error.message})`);
      failed = true;
      continue;
    }
    const result = validate(configSchema(), config);
    if (result.ok) {
      console.log(`${file}: valid (${result.value.touchpoints.length} touchpoints)`);
    } else {
      failed = true;
      for (const problem of result.problems) console.error(`${file}: ${formatProblem(problem)}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
} else if (command === '--help' || command === '-h' || command === 'help') {
  console.log(USAGE);
} else {
  console.error(USAGE);
  process.exitCode = 2;
}
