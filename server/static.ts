// Static files: the dashboard bundle, the widget scripts and their locales, and any mounts the
// caller adds (the demo shop, test pages). Built on @hono/node-server's serveStatic; paths that
// are malformed, hidden (`.git`, `..`) or outside a mount are refused before it sees them.
import path from 'node:path';
import type { Context, MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { DASHBOARD_DIR, DIST_DIR } from './paths';
import { HttpError } from './http';

/** The raw pathname, decoded, or undefined when it is malformed or names a hidden or parent entry. */
function safePathname(rawPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  // `..` never leaves a directory; other dot-names (.git, .env) are never meant to be served.
  if (decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  return decoded;
}

interface Mount {
  prefix: string;
  handler: MiddlewareHandler;
}

/** A directory's files under `prefix`, with a cache policy: revalidate, or never keep (the widget build). */
function mount(prefix: string, dir: string, cache: 'no-cache' | 'no-store'): Mount {
  const files = serveStatic({ root: path.resolve(dir), rewriteRequestPath: (p) => p.slice(prefix.length - 1) });
  return {
    prefix,
    handler: async (c, next) => {
      c.header('Cache-Control', cache);
      return files(c, next);
    },
  };
}

/** One file under its own path. */
function single(urlPath: string, file: string, cache: 'no-cache' | 'no-store'): Mount {
  const served = serveStatic({ path: file });
  return {
    prefix: urlPath,
    handler: async (c, next) => {
      c.header('Cache-Control', cache);
      return served(c, next);
    },
  };
}

/**
 * The GET/HEAD handler for every path that is not the API: the longest matching mount serves it,
 * `/prefix` redirects to `/prefix/`, and anything else is a 404. `extra` maps URL prefixes
 * (`/test/`) to directories.
 */
export function staticFiles(extra: Record<string, string>): (c: Context) => Promise<Response> {
  const mounts: Mount[] = [
    mount('/dashboard/', DASHBOARD_DIR, 'no-cache'),
    single('/moodpoint.min.js', path.join(DIST_DIR, 'moodpoint.min.js'), 'no-store'),
    single('/moodpoint.prompt.js', path.join(DIST_DIR, 'moodpoint.prompt.js'), 'no-store'),
    mount('/locales/', path.join(DIST_DIR, 'locales'), 'no-cache'),
    ...Object.entries(extra).map(([prefix, dir]) => mount(prefix.endsWith('/') ? prefix : `${prefix}/`, dir, 'no-cache')),
  ].sort((a, b) => b.prefix.length - a.prefix.length);

  return async (c) => {
    const pathname = safePathname(c.req.path);
    if (pathname === undefined) throw new HttpError(404, { error: 'not found' }, { log: 'rejected path' });
    const folder = mounts.find((m) => m.prefix.endsWith('/') && pathname === m.prefix.slice(0, -1));
    if (folder) return c.redirect(folder.prefix, 301);
    const target = mounts.find((m) => (m.prefix.endsWith('/') ? pathname.startsWith(m.prefix) : pathname === m.prefix));
    const res = target ? await target.handler(c, async () => {}) : undefined;
    if (!res) throw new HttpError(404, { error: 'not found' });
    return res;
  };
}
