#!/usr/bin/env node
// `moodpoint validate <file>`: the widget's own config validation, one line per problem.
import { readFile } from 'node:fs/promises';
import { configSchema } from '../dist/config.js';
import { validate } from '../dist/validate.js';
import { formatProblem } from '../dist/log.js';

const USAGE = 'usage: moodpoint validate <moodpoint.json> [...more files]';
const [command, ...files] = process.argv.slice(2);

if (command !== 'validate' || files.length === 0) {
  console.error(USAGE);
  process.exit(2);
}

let failed = false;
for (const file of files) {
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
process.exit(failed ? 1 : 0);
