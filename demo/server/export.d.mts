/** CSV columns, in order. */
export const CSV_COLUMNS: readonly string[];
/** One RFC 4180 field, with spreadsheet-formula text neutralised by a leading `'`. */
export function csvField(value: unknown): string;
/** One answer as a CSV record, without the line break. */
export function csvRecord(answer: Record<string, unknown>): string;
export function csvLines(answers: Iterable<Record<string, unknown>>): Generator<string>;
export function ndjsonLines(answers: Iterable<Record<string, unknown>>): Generator<string>;
