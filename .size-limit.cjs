const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const locales = readdirSync(join(__dirname, 'src/locales'))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => `dist/locales/${file}`);

const both = (path, limit) => [
  { name: `${path} gzip`, path, gzip: true, limit },
  { name: `${path} brotli`, path, brotli: true },
];

module.exports = [...both('dist/moodpoint.min.js', '28.5 kB'), ...locales.flatMap((path) => both(path, '1 kB'))];
