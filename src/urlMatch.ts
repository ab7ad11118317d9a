/**
 * Matches a `url` trigger: a glob where `*` is any run of characters and `?` one character,
 * against the path (or against the full URL without the fragment when the pattern starts with
 * `http`). Anchored at both ends, so `/pricing*` matches `/pricing` and `/pricing/teams`.
 */
export function urlMatches(pattern: string, url: URL): boolean {
  const subject = /^https?:/.test(pattern) ? url.origin + url.pathname + url.search : url.pathname;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(subject);
}
