const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const locales = readdirSync(join(__dirname, 'src/locales'))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => `dist/locales/${file}`);

const both = (name, path, limit) => [
  { name: `${name} gzip`, path, gzip: true, limit },
  { name: `${name} brotli`, path, brotli: true },
];

// Each file its own limit (gzip, as a browser downloads it). The loader is what every page pays;
// loader + prompt file is what a page that shows a prompt pays, the two files compressed one by one.
module.exports = [
  ...both('dist/moodpoint.min.js (loader)', 'dist/moodpoint.min.js', '12 kB'),
  ...both('dist/moodpoint.prompt.js (prompt file)', 'dist/moodpoint.prompt.js', '21.5 kB'),
  ...both('loader + prompt file', ['dist/moodpoint.min.js', 'dist/moodpoint.prompt.js'], '31.6 kB'),
  ...locales.flatMap((path) => both(path, path, '1 kB')),
];
