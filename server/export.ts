// Answer exports: CSV (RFC 4180) and NDJSON, one answer a line/record.

/** CSV columns, in order; nested values (emotion and offered words, context) are flattened to text. */
export const CSV_COLUMNS: readonly string[] = [
  'id',
  'responseId',
  'answeredAt',
  'receivedAt',
  'site',
  'stage',
  'touchpoint',
  'kind',
  'score',
  'emotions',
  'offered',
  'comment',
  'context',
  'user',
  'locale',
  'url',
  'seeded',
];

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
 * or a tab or carriage return that some of them skip first) gets a leading `'`, so opening an
 * export never executes what a visitor typed into a comment (OWASP "CSV injection"). Then
 * RFC 4180 quoting: a field with a comma, quote, CR or LF is wrapped in quotes, quotes doubled.
 * Numbers and booleans are written as they are: they are ours, never a visitor's text.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One answer as a CSV record, without the line break. */
export function csvRecord(answer: Record<string, unknown>): string {
  return CSV_COLUMNS.map((column) => {
    const value = answer[column];
    if (column === 'emotions' || column === 'offered') return csvField(((value ?? []) as string[]).join(' '));
    if (column === 'context') return csvField(value === undefined ? undefined : JSON.stringify(value));
    if (column === 'seeded') return csvField(value === true);
    return csvField(value);
  }).join(',');
}

/** The header line and one line per answer, CRLF as RFC 4180 has it. */
export function* csvLines(answers: Iterable<Record<string, unknown>>): Generator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for (const answer of answers) yield `${csvRecord(answer)}\r\n`;
}

/** One JSON text per answer, LF-terminated. */
export function* ndjsonLines(answers: Iterable<unknown>): Generator<string> {
  for (const answer of answers) yield `${JSON.stringify(answer)}\n`;
}
