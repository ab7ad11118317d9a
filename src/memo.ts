/**
 * A value made on first use and kept. Schemas are built this way so that loading the script
 * costs a page nothing until a config or an answer is really validated.
 */
export function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
