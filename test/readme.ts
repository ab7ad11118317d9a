import { readFileSync } from 'node:fs';

/** One fenced code block of README.md, with the `##`/`###` heading it sits under. */
export interface ReadmeBlock {
  lang: string;
  code: string;
  heading: string;
}

/** README's code blocks in order, so tests run what README shows and the two cannot drift. */
export function readmeBlocks(): ReadmeBlock[] {
  const text = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const blocks: ReadmeBlock[] = [];
  let heading = '';
  let open: ReadmeBlock | undefined;
  for (const line of text.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else open.code += `${line}\n`;
    } else if (line.startsWith('```')) open = { lang: line.slice(3).trim(), code: '', heading };
    else if (/^#{2,3} /.test(line)) heading = line.replace(/^#+ /, '');
  }
  return blocks;
}

/** The blocks under a heading, in a language; throws when there are none, so a renamed heading fails loudly. */
export function readmeBlocksUnder(heading: string, lang: string): string[] {
  const found = readmeBlocks()
    .filter((b) => b.heading === heading && b.lang === lang)
    .map((b) => b.code);
  if (!found.length) throw new Error(`README has no \`\`\`${lang} block under "${heading}"`);
  return found;
}

/** The first-column keys (`` `key` ``) of each table under a heading, one list per table. */
export function readmeTableKeys(heading: string): string[][] {
  const text = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const tables: string[][] = [];
  let under = '';
  let table: string[] | undefined;
  for (const line of text.split('\n')) {
    if (/^#{2,3} /.test(line)) under = line.replace(/^#+ /, '');
    const row = under === heading && line.startsWith('|') ? /^\| `([^`]+)` \|/.exec(line) : null;
    if (under === heading && line.startsWith('|')) {
      if (!table) tables.push((table = []));
      if (row) table.push(row[1]!);
    } else table = undefined;
  }
  return tables;
}
