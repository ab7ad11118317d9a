const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/** True for an https URL, or http on this machine; relative URLs resolve against the page first. */
export function isSafeUrl(value: string): boolean {
  try {
    const url = new URL(value, globalThis.location?.href ?? 'https://localhost/');
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.includes(url.hostname));
  } catch {
    return false;
  }
}
